/**
 * Instants as text. `Date` throws a `RangeError` on `toISOString()` past ±8.64e15 ms, and
 * Grafana's `dateTimeFormat` writes "Invalid date", so every instant passes through here first.
 */
import { dateTimeFormat } from '@grafana/data';
import { MAX_EPOCH_MS } from '../api/limits';

/** What every formatter shows for a value it cannot show: unknown, out of range, not a number. */
export const DASH = '—';

/** Whether `ms` is an epoch millisecond `Date` can show, from 1970 on. */
export function isShowableTime(ms: number | null | undefined): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= MAX_EPOCH_MS;
}

/** Grafana's date and time in the user's time zone (`2026-01-04 04:13:20`), or {@link DASH}. */
export function formatDateTime(ms: number | null | undefined): string {
  return isShowableTime(ms) ? dateTimeFormat(ms) : DASH;
}

/** ISO 8601 in UTC (`2026-01-04T04:13:20.000Z`), or {@link DASH}. */
export function formatIsoTime(ms: number | null | undefined): string {
  return isShowableTime(ms) ? new Date(ms).toISOString() : DASH;
}
