/** Text for the queue section's ages. */
import { formatUptime } from '../NodeCard/format';

/** An age from milliseconds, two largest units: `45s`, `12m`, `5h 12m`; `—` when unknown. */
export function formatAge(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) {
    return formatUptime(null);
  }
  return formatUptime(Math.max(ms, 0) / 1000);
}
