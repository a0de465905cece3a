/**
 * The slow-log reply as table rows. The data source's frame reader does the reading, so the page
 * and stock panels agree on every field.
 */
import { DataFrameView } from '@grafana/data';
import { slowFrame } from '../../datasource/frames/slow';

/** One slow request or job, as `slowFrame` reads it; a missing field is `null`. */
export interface SlowRow {
  time: number | null;
  service: string | null;
  kind: string | null;
  name: string | null;
  durationMs: number | null;
  thresholdMs: number | null;
  nodeId: string | null;
  method: string | null;
  route: string | null;
  status: number | null;
  queue: string | null;
  traceId: string | null;
}

/** What the user narrows the table by; empty values match everything. */
export interface SlowFilter {
  service: string;
  kind: '' | 'request' | 'job';
  /** Only entries at least this slow, in ms. */
  minDurationMs?: number;
  /** Case-insensitive text the name must contain. */
  text: string;
}

/** A filter that keeps every row. */
export const NO_FILTER: SlowFilter = { service: '', kind: '', text: '' };

/** The rows of a `GET /api/pulse/slow` reply, in the collector's order (newest first). */
export function slowRows(body: unknown): SlowRow[] {
  return new DataFrameView<SlowRow>(slowFrame('slow', body)).toArray();
}

/** The rows `filter` keeps. */
export function filterSlowRows(rows: readonly SlowRow[], filter: SlowFilter): SlowRow[] {
  const text = filter.text.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (!filter.service || row.service === filter.service) &&
      (!filter.kind || row.kind === filter.kind) &&
      (filter.minDurationMs === undefined || (row.durationMs ?? 0) >= filter.minDurationMs) &&
      (!text || (row.name ?? '').toLowerCase().includes(text))
  );
}

/** The distinct services among `rows`, sorted. */
export function servicesOf(rows: readonly SlowRow[]): string[] {
  const names = new Set<string>();
  for (const row of rows) {
    if (row.service) {
      names.add(row.service);
    }
  }
  return [...names].sort();
}
