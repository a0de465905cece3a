/**
 * The times a Laravel or Horizon job payload records: read from its JSON text without keeping
 * the job's data.
 */

/** A unix time in seconds, given as a number or as PHP's `microtime(true)` string. */
function secondsOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * How long ago a job payload was pushed, ms: from Horizon's `pushedAt` (a `microtime(true)`
 * string) or else Laravel ≥ 11's `createdAt` (unix seconds). Only those two top-level fields
 * survive the parse; the job's data is dropped as it is read. Undefined when neither is there.
 */
export function payloadAgeMs(payload: string | null, nowMs: number): number | undefined {
  if (!payload) return undefined;
  let stamps: unknown;
  try {
    stamps = JSON.parse(payload, (key, value: unknown) =>
      key === '' || key === 'pushedAt' || key === 'createdAt' ? value : undefined,
    );
  } catch {
    return undefined;
  }
  if (typeof stamps !== 'object' || stamps === null) return undefined;
  const { pushedAt, createdAt } = stamps as Record<string, unknown>;
  const seconds = secondsOf(pushedAt) ?? secondsOf(createdAt);
  return seconds === undefined ? undefined : Math.max(0, nowMs - Math.round(seconds * 1000));
}

/** PHP's `microtime(true)` string (seconds) as epoch ms; undefined if absent or malformed. */
export function microtimeMs(value: string | null | undefined): number | undefined {
  const seconds = secondsOf(value ?? undefined);
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}
