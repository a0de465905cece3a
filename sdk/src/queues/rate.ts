/** Rates of the probes' throughput: counts over a window, per minute. */

/** One minute, ms. */
const MINUTE_MS = 60_000;

/** `count` events over `windowMs` as a rate per minute; `windowMs` must be positive. */
export function perMinute(count: number, windowMs: number): number {
  return (count * MINUTE_MS) / windowMs;
}
