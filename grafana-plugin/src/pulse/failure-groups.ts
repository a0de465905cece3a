/**
 * A queue snapshot's `failureGroups` as the queues section shows it: the failures an agent read,
 * grouped by error fingerprint. Read defensively like the rest of the snapshot: a group without
 * a key, a message, a count or an example is skipped, texts are cut, and the whole reads as
 * `null` when it is not `{groups, others, scanned}`.
 */
import { MAX_COUNT, MAX_FAILURE_GROUPS } from '../api/limits';
import { epochMs, field, inRange, isRecord, label, listOf, text } from '../api/read';
import { readFailedJob, type FailedJob } from './queue';

/** Characters of a group's message or frame shown; agents send at most 200. */
const MAX_GROUP_TEXT = 200;

/** One group of failures that share an error fingerprint. */
export interface FailureGroup {
  /** The fingerprint; the list's React key. */
  key: string;
  /** The normalised message (`<n>`, `<str>`, … in place of values). */
  message: string;
  /** The first frame of the application's own code, where the agent had a stack. */
  frame: string | null;
  count: number;
  /** Epoch milliseconds. */
  firstSeen: number | null;
  lastSeen: number | null;
  /** The group's newest failure. */
  example: FailedJob;
}

/** The groups of one queue. */
export interface FailureGroups {
  groups: FailureGroup[];
  /** Failures in groups past the ones sent. */
  others: number;
  /** How many failed jobs the groups were built from. */
  scanned: number;
}

/** A whole number of jobs, exact in a double. */
function jobCount(value: unknown): number | null {
  const n = inRange(value, 0, MAX_COUNT);
  return n !== null && Number.isInteger(n) ? n : null;
}

function readGroup(value: unknown): FailureGroup | null {
  if (!isRecord(value)) {
    return null;
  }
  const key = label(field(value, 'key'));
  const message = text(field(value, 'message'), MAX_GROUP_TEXT);
  const count = jobCount(field(value, 'count'));
  const example = readFailedJob(field(value, 'example'));
  if (!key || !message || count === null || count === 0 || example === null) {
    return null;
  }
  return {
    key,
    message,
    frame: text(field(value, 'frame'), MAX_GROUP_TEXT) || null,
    count,
    firstSeen: epochMs(field(value, 'firstSeen')),
    lastSeen: epochMs(field(value, 'lastSeen')),
    example,
  };
}

/** `failureGroups`, or `null` when it is absent or unreadable. Never throws. */
export function readFailureGroups(value: unknown): FailureGroups | null {
  const others = jobCount(field(value, 'others'));
  const scanned = jobCount(field(value, 'scanned'));
  if (!isRecord(value) || others === null || scanned === null) {
    return null;
  }
  // Two groups with one key would share a React key: the first one counts.
  const seen = new Set<string>();
  const groups = listOf(field(value, 'groups'), MAX_FAILURE_GROUPS, (entry) => {
    const group = readGroup(entry);
    if (group === null || seen.has(group.key)) {
      return null;
    }
    seen.add(group.key);
    return group;
  });
  return { groups, others, scanned };
}
