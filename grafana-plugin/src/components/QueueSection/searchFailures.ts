/**
 * Searching a queue's failures by name or error, on the page: over the failure groups and the
 * failed sample the agent already sent, never by asking the agent to scan Redis. A match is a
 * case-insensitive substring, taken literally (no regular expression is built from the query).
 */
import type { FailureGroup } from '../../pulse/failure-groups';
import type { FailedJob } from '../../pulse/queue';

/** Characters of a query that count; a longer paste is cut, so each match costs a bounded scan. */
export const MAX_QUERY_LENGTH = 200;

/** The groups and jobs a query keeps, in their order. */
export interface FailureMatches {
  groups: FailureGroup[];
  jobs: FailedJob[];
}

/** Unicode-aware case folding: `É` and `é`, composed and decomposed, compare equal. */
function fold(value: string): string {
  return value.normalize('NFC').toLowerCase();
}

/**
 * The query as it is matched: trimmed, cut to {@link MAX_QUERY_LENGTH} characters (never in the
 * middle of a surrogate pair) and folded; `''` matches everything.
 */
export function normaliseQuery(raw: string): string {
  let query = raw.slice(0, MAX_QUERY_LENGTH * 2).trim();
  const points = Array.from(query);
  if (points.length > MAX_QUERY_LENGTH) {
    query = points.slice(0, MAX_QUERY_LENGTH).join('');
  }
  return fold(query);
}

function contains(value: string | null, query: string): boolean {
  return value !== null && fold(value).includes(query);
}

/** Whether a job's id, name or reason contains the (normalised) query. */
export function jobMatches(job: FailedJob, query: string): boolean {
  return query === '' || contains(job.id, query) || contains(job.name, query) || contains(job.reason, query);
}

/** Whether a group's normalised message, frame or example job contains the (normalised) query. */
export function groupMatches(group: FailureGroup, query: string): boolean {
  return (
    query === '' ||
    contains(group.message, query) ||
    contains(group.frame, query) ||
    contains(group.example.name, query) ||
    contains(group.example.reason, query)
  );
}

/** The groups and jobs that `raw` (as typed) matches; everything for a blank query. */
export function searchFailures(groups: FailureGroup[], jobs: FailedJob[], raw: string): FailureMatches {
  const query = normaliseQuery(raw);
  if (query === '') {
    return { groups, jobs };
  }
  return {
    groups: groups.filter((group) => groupMatches(group, query)),
    jobs: jobs.filter((job) => jobMatches(job, query)),
  };
}
