/** Text for the card's numbers, with the units stated; {@link DASH} for anything it cannot show. */
import { formattedValueToString, getValueFormat } from '@grafana/data';
import { MAX_BYTES, MAX_CORES, MAX_DURATION_MS } from '../../api/limits';
import { DASH } from '../../format/time';

/** Whether `value` is a finite number in `[min, max]`. */
function within(value: number | null, min: number, max: number): value is number {
  return value !== null && Number.isFinite(value) && value >= min && value <= max;
}

/** Uptime from seconds, two largest units: `3d 4h`, `5h 12m`, `12m`, `45s`. */
export function formatUptime(seconds: number | null): string {
  if (!within(seconds, 0, MAX_DURATION_MS / 1000)) {
    return DASH;
  }
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) {
    return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  }
  if (hours > 0) {
    return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  }
  if (minutes > 0) {
    return `${minutes}m`;
  }
  return `${s}s`;
}

/** Bytes in binary units through Grafana's own `bytes` unit: `298 MiB`. */
export function formatBytes(bytes: number | null): string {
  if (!within(bytes, 0, MAX_BYTES)) {
    return DASH;
  }
  return formattedValueToString(getValueFormat('bytes')(bytes));
}

/** A percentage with at most one decimal: `12.5%`, `37%`, `143.5%`. */
export function formatPercent(percent: number | null): string {
  if (!within(percent, 0, 100 * MAX_CORES)) {
    return DASH;
  }
  return `${trim(percent)}%`;
}

/** Milliseconds: `48.7 ms`, or seconds from 1 000 ms on: `1.2 s`. */
export function formatMs(ms: number | null): string {
  if (!within(ms, 0, MAX_DURATION_MS)) {
    return DASH;
  }
  return ms >= 1000 ? `${trim(ms / 1000)} s` : `${trim(ms)} ms`;
}

/**
 * `part` as a percentage of `whole`, or `null` when either is unknown or negative, `whole` is 0,
 * or the share is not a finite number.
 */
export function percentOf(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || part < 0 || whole <= 0) {
    return null;
  }
  const percent = (part / whole) * 100;
  return Number.isFinite(percent) ? percent : null;
}

function trim(value: number): string {
  return String(Math.round(value * 10) / 10);
}
