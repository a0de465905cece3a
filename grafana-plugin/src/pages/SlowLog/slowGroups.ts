/**
 * The collector's slow-log groups (`GET /api/pulse/slow/groups`) and one group's entries
 * (`GET /api/pulse/slow/groups/entries`) as the page shows them. Replies are untrusted: every
 * field is read through `api/read`, a group with no valid service, kind or name is skipped, and
 * lists are bounded.
 */
import { MAX_COUNT, MAX_ENTRIES, MAX_LABEL_LENGTH, MAX_TEXT_LENGTH } from '../../api/limits';
import { at, durationMs, epochMs, field, inRange, isRecord, listOf, text } from '../../api/read';
import { slowRows, type SlowRow } from './slowRows';

/** Minutes a sparkline may have: the collector sends 60. */
export const MAX_SPARK_POINTS = 120;

export type SlowKind = 'request' | 'job';

/** One group: (service, kind, name) with its figures. */
export interface SlowGroupRow {
  /** Stable across reads: the table keeps a group expanded by it. */
  id: string;
  service: string;
  kind: SlowKind;
  name: string;
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  lastSeenMs: number | null;
  lastTraceId: string | null;
  /** Entries per minute, oldest first. */
  counts: number[];
  /** The longest duration per minute, oldest first. */
  sparkMaxMs: number[];
}

/** A groups reply: the groups, how many matched, and which replica answered for what. */
export interface SlowGroups {
  groups: SlowGroupRow[];
  total: number;
  replica: string | null;
  services: string[];
}

function kindOf(value: unknown): SlowKind | null {
  return value === 'request' || value === 'job' ? value : null;
}

function readGroup(value: unknown): SlowGroupRow | null {
  const service = text(field(value, 'service'), MAX_LABEL_LENGTH);
  const kind = kindOf(field(value, 'kind'));
  // A name is sent back to ask for its entries: one the page would have to cut is skipped.
  const rawName = field(value, 'name');
  const name = typeof rawName === 'string' && rawName.length > 0 && rawName.length <= MAX_TEXT_LENGTH ? rawName : null;
  if (service === null || kind === null || name === null) {
    return null;
  }
  const spark = field(value, 'sparkline');
  return {
    id: JSON.stringify([service, kind, name]),
    service,
    kind,
    name,
    count: inRange(field(value, 'count'), 0, MAX_COUNT) ?? 0,
    p50Ms: durationMs(field(value, 'p50Ms')),
    p95Ms: durationMs(field(value, 'p95Ms')),
    maxMs: durationMs(field(value, 'maxMs')),
    lastSeenMs: epochMs(field(value, 'lastSeenMs')),
    lastTraceId: text(field(value, 'lastTraceId'), MAX_LABEL_LENGTH),
    counts: listOf(field(spark, 'counts'), MAX_SPARK_POINTS, (n) => inRange(n, 0, MAX_COUNT)),
    sparkMaxMs: listOf(field(spark, 'maxMs'), MAX_SPARK_POINTS, durationMs),
  };
}

/** Reads a groups reply; anything but an object with a `groups` array reads as no groups. */
export function slowGroups(body: unknown): SlowGroups {
  const groups = listOf(field(body, 'groups'), MAX_ENTRIES, readGroup);
  return {
    groups,
    total: inRange(field(body, 'total'), 0, MAX_COUNT) ?? groups.length,
    replica: text(at(body, 'scope', 'replica'), MAX_LABEL_LENGTH),
    services: listOf(at(body, 'scope', 'services'), MAX_ENTRIES, (s) => text(s, MAX_LABEL_LENGTH)),
  };
}

/** Reads a group's entries as slow-log rows, each carrying the group's service. */
export function groupEntryRows(body: unknown, service: string): SlowRow[] {
  const entries = field(body, 'entries');
  const withService = Array.isArray(entries) ? entries.filter(isRecord).map((entry) => ({ ...entry, service })) : [];
  return slowRows({ entries: withService });
}
