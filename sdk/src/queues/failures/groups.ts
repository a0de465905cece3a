/**
 * Failures grouped by fingerprint: the failed jobs a probe read, folded into a few groups with
 * a count, the first and last time seen, and one example job, biggest group first.
 */
import type { FailedJobSample, FailureGroupView, FailureGroupsView } from '../../schema';
import { MAX_FAILURE_GROUPS } from '../../schema/limits';
import { fingerprintError } from './fingerprint';
import type { ErrorFingerprint } from './fingerprint';

/** Groups kept per queue; the rest are counted in `others`. */
export { MAX_FAILURE_GROUPS };

/** One failure with the stack its system kept, where it kept one. */
export interface Failure extends FailedJobSample {
  stack?: string;
}

/** One failure already fingerprinted, as a probe keeps it between reads. */
export interface Fingerprinted {
  print: ErrorFingerprint;
  /** The failure as a sample entry: its stack stays out of the snapshot. */
  sample: FailedJobSample;
}

export type FailureGroup = FailureGroupView;

export interface FailureGroups {
  groups: FailureGroup[];
  /** Failures in groups past the kept ones. */
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

/** A failure with its fingerprint, its frame relative to `root` where under it. Never throws. */
export function fingerprinted(failure: Failure, root?: string): Fingerprinted {
  return {
    print: fingerprintError(failure.reason, failure.stack, root),
    sample: sampleOf(failure),
  };
}

/** Groups `failures` (any order) by fingerprint. Never throws; keys never reach a prototype. */
export function groupFailures(
  failures: readonly Failure[],
  limit = MAX_FAILURE_GROUPS,
): FailureGroups {
  return groupFingerprinted(
    failures.map((failure) => fingerprinted(failure)),
    limit,
  );
}

/** Groups failures already fingerprinted (any order), biggest group first. */
export function groupFingerprinted(
  failures: readonly Fingerprinted[],
  limit = MAX_FAILURE_GROUPS,
): FailureGroups {
  const byKey = new Map<string, FailureGroup>();
  for (const { print, sample: example } of failures) {
    const group = byKey.get(print.key);
    const at = example.failedAt;
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

/** The groups of a failed sample, for the systems whose probe reads no more than the sample. */
export function groupSample(sample: readonly FailedJobSample[]): FailureGroupsView {
  return { ...groupFailures(sample), scanned: sample.length };
}
