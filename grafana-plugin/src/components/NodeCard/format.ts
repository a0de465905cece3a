/** Text for the card's numbers, with the units stated. */
import { formattedValueToString, getValueFormat } from '@grafana/data';

const DASH = '—';

/** Uptime from seconds, two largest units: `3d 4h`, `5h 12m`, `12m`, `45s`. */
export function formatUptime(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) {
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
  if (bytes === null || !Number.isFinite(bytes)) {
    return DASH;
  }
  return formattedValueToString(getValueFormat('bytes')(bytes));
}

/** A percentage with at most one decimal: `12.5%`, `37%`, `143.5%`. */
export function formatPercent(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) {
    return DASH;
  }
  return `${trim(percent)}%`;
}

/** Milliseconds: `48.7 ms`, or seconds from 1 000 ms on: `1.2 s`. */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) {
    return DASH;
  }
  return ms >= 1000 ? `${trim(ms / 1000)} s` : `${trim(ms)} ms`;
}

/** `part` as a percentage of `whole`, or `null` when either is unknown or `whole` is 0. */
export function percentOf(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole <= 0) {
    return null;
  }
  return (part / whole) * 100;
}

function trim(value: number): string {
  return String(Math.round(value * 10) / 10);
}
