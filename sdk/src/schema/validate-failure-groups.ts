/**
 * Validation of a queue snapshot's `failureGroups`: at most `MAX_FAILURE_GROUPS` groups, each
 * with a fingerprint key, a message and frame cut to `MAX_FAILURE_TEXT`, counts and times in
 * range and one example job; a malformed group is dropped and counted, a malformed whole is
 * dropped.
 */
import type { FailureGroupView, FailureGroupsView } from './failure-groups';
import { MAX_COUNT, MAX_EPOCH_MS, MAX_FAILURE_GROUPS, MAX_FAILURE_TEXT } from './limits';
import { cut, inRange, isRecord } from './parse-result';
import { readFailedJob } from './validate-failed-job';

/** A fingerprint key: lower-case hex or base-36, short (never `__proto__`). */
const KEY = /^[0-9a-z]{1,64}$/;

const isCount = (value: unknown): value is number =>
  inRange(value, 0, MAX_COUNT) && Number.isInteger(value);
const isEpochMs = (value: unknown): value is number => inRange(value, 0, MAX_EPOCH_MS);

/** One group, rebuilt from its known fields; undefined when any required one is unusable. */
function readGroup(value: unknown): FailureGroupView | undefined {
  if (!isRecord(value)) return undefined;
  const { key, message, frame, count, firstSeen, lastSeen } = value;
  if (typeof key !== 'string' || !KEY.test(key)) return undefined;
  if (typeof message !== 'string' || message === '') return undefined;
  if (!isCount(count) || count === 0) return undefined;
  const example = readFailedJob(value.example, MAX_FAILURE_TEXT);
  if (example === undefined) return undefined;
  const group: FailureGroupView = { key, message: cut(message, MAX_FAILURE_TEXT), count, example };
  if (typeof frame === 'string' && frame !== '') group.frame = cut(frame, MAX_FAILURE_TEXT);
  if (isEpochMs(firstSeen)) group.firstSeen = firstSeen;
  if (isEpochMs(lastSeen)) group.lastSeen = lastSeen;
  return group;
}

/**
 * `failureGroups`, rebuilt; undefined (with a warning) when it is not `{groups, others,
 * scanned}`. Groups past `MAX_FAILURE_GROUPS` or malformed are dropped with a warning.
 */
export function readFailureGroups(
  value: unknown,
  warnings: string[],
): FailureGroupsView | undefined {
  if (!isRecord(value) || !Array.isArray(value.groups)) {
    warnings.push('failureGroups: expected {groups: [], others, scanned}, ignored');
    return undefined;
  }
  const { others, scanned } = value;
  if (!isCount(others) || !isCount(scanned)) {
    warnings.push('failureGroups: others and scanned must be counts, ignored');
    return undefined;
  }
  const groups: FailureGroupView[] = [];
  let dropped = 0;
  for (const entry of value.groups as unknown[]) {
    const group = groups.length < MAX_FAILURE_GROUPS ? readGroup(entry) : undefined;
    if (group) groups.push(group);
    else dropped++;
  }
  if (dropped > 0) {
    warnings.push(
      `failureGroups: ${dropped} groups beyond the first ${MAX_FAILURE_GROUPS} valid ones ignored`,
    );
  }
  return { groups, others, scanned };
}
