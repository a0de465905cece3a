/** Text for the queue section's ages and counts. */
import { MAX_COUNT } from '../../api/limits';
import { DASH } from '../../format/time';
import { formatUptime } from '../NodeCard/format';

/** An age from milliseconds, two largest units: `45s`, `12m`, `5h 12m`; `—` when unknown. */
export function formatAge(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) {
    return formatUptime(null);
  }
  return formatUptime(Math.max(ms, 0) / 1000);
}

/** A job count with thousands separators: `5,400`; {@link DASH} unless a whole number of jobs. */
export function formatCount(count: number): string {
  return Number.isInteger(count) && count >= 0 && count <= MAX_COUNT ? count.toLocaleString('en-US') : DASH;
}

/**
 * A rate per minute: whole jobs from 10 up (`1,240/min`), one decimal below (`2.5/min`); {@link DASH}
 * when unknown.
 */
export function formatRate(perMinute: number | null): string {
  if (perMinute === null || !Number.isFinite(perMinute) || perMinute < 0) {
    return DASH;
  }
  const figure =
    perMinute >= 10 ? Math.round(perMinute).toLocaleString('en-US') : String(Math.round(perMinute * 10) / 10);
  return `${figure}/min`;
}
