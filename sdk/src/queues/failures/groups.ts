/**
 * Failures grouped by fingerprint: the failed jobs a probe sampled, folded into a few groups
 * with a count, the first and last time seen, and one example job, biggest group first.
 */
import type { FailedJobSample } from '../../schema';
import { fingerprintError } from './fingerprint';
import type { ErrorFingerprint } from './fingerprint';

/** Groups kept per queue; the rest are counted in `others`. */
export const MAX_FAILURE_GROUPS = 10;

/** One failure with the stack its system kept, where it kept one. */
export interface Failure extends FailedJobSample {
  stack?: string;
}

export interface FailureGroup extends ErrorFingerprint {
  count: number;
  /** The earliest and latest `failedAt` of the group's failures, epoch ms, where known. */
  firstSeen?: number;
  lastSeen?: number;
  /** The newest failure of the group, to inspect or to read its reason in full. */
  example: FailedJobSample;
}

export interface FailureGroups {
  groups: FailureGroup[];
  /** Failures in groups past `MAX_FAILURE_GROUPS`. */
  others: number;
}

/** The failure as a sample entry: its stack stays out of the snapshot. */
function sampleOf({ id, name, failedAt, reason }: Failure): FailedJobSample {
  const sample: FailedJobSample = { id };
  if (name !== undefined) sample.name = name;
  if (failedAt !== undefined) sample.failedAt = failedAt;
  if (reason !== undefined) sample.reason = reason;
  return sample;
}

/** Groups `failures` (any order) by fingerprint. Never throws; keys never reach a prototype. */
export function groupFailures(
  failures: readonly Failure[],
  limit = MAX_FAILURE_GROUPS,
): FailureGroups {
  const byKey = new Map<string, FailureGroup>();
  for (const failure of failures) {
    const print = fingerprintError(failure.reason, failure.stack);
    const example = sampleOf(failure);
    const group = byKey.get(print.key);
    const at = failure.failedAt;
    if (!group) {
      byKey.set(print.key, {
        ...print,
        count: 1,
        ...(at === undefined ? {} : { firstSeen: at, lastSeen: at }),
        example,
      });
      continue;
    }
    group.count++;
    if (at === undefined) continue;
    if (group.firstSeen === undefined || at < group.firstSeen) group.firstSeen = at;
    if (group.lastSeen === undefined || at > group.lastSeen) {
      group.lastSeen = at;
      group.example = example;
    }
  }
  const sorted = [...byKey.values()].sort(
    (a, b) =>
      b.count - a.count || (b.lastSeen ?? 0) - (a.lastSeen ?? 0) || a.key.localeCompare(b.key),
  );
  const kept = sorted.slice(0, limit);
  const others = sorted.slice(limit).reduce((sum, g) => sum + g.count, 0);
  return { groups: kept, others };
}
