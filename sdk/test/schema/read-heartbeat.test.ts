import { ageOf, heartbeatTtlSeconds, parseHeartbeat, statusOf } from '../../src/schema';
import type { Heartbeat } from '../../src/schema';
import { original } from './fixtures';

const REDIS_NOW = 1_767_500_000_000;

/** An original Bun beat, with the given interval, written at `timestamp` by the agent's clock. */
function beat(interval: number | undefined, timestamp = REDIS_NOW): Heartbeat {
  const result = parseHeartbeat({
    ...original('heartbeat-node-sdk-bun.json'),
    timestamp,
    ...(interval === undefined ? {} : { interval }),
  });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('ageOf', () => {
  it('is the expected TTL minus the remaining TTL, whatever the agent clock says', () => {
    const skewed = beat(1000, REDIS_NOW - 3_600_000);
    expect(ageOf(skewed, 21_000, REDIS_NOW)).toBe(9000);
    expect(ageOf(beat(1000, REDIS_NOW + 3_600_000), 30_000, REDIS_NOW)).toBe(0);
  });

  it("derives the expected TTL from the node's own interval", () => {
    expect(heartbeatTtlSeconds(20_000)).toBe(60);
    expect(ageOf(beat(20_000), 45_000, REDIS_NOW)).toBe(15_000);
  });

  it('assumes the originals’ 10 s interval and their 30 s TTL', () => {
    expect(ageOf(beat(undefined), 26_000, REDIS_NOW)).toBe(4000);
  });

  it('falls back to the timestamp, on the Redis clock, without a TTL or with one the protocol never writes', () => {
    const hb = beat(1000, REDIS_NOW - 4000);
    expect(ageOf(hb, -1, REDIS_NOW)).toBe(4000);
    expect(ageOf(hb, -2, REDIS_NOW)).toBe(4000);
    expect(ageOf(hb, 3_600_000, REDIS_NOW)).toBe(4000);
  });

  it('is never negative when the agent clock runs ahead', () => {
    expect(ageOf(beat(1000, REDIS_NOW + 60_000), -1, REDIS_NOW)).toBe(0);
  });
});

describe('statusOf', () => {
  it("is online while the beat is younger than two of the node's intervals, then stale", () => {
    const hb = beat(5000);
    expect(statusOf(hb, { ageMs: 9_999, present: true })).toBe('online');
    expect(statusOf(hb, { ageMs: 10_000, present: true })).toBe('stale');
  });

  it('gives the originals two of their 10 s intervals', () => {
    expect(statusOf(beat(undefined), { ageMs: 19_999, present: true })).toBe('online');
    expect(statusOf(beat(undefined), { ageMs: 20_000, present: true })).toBe('stale');
  });

  it('is offline once the key is gone, however young the last beat', () => {
    expect(statusOf(beat(5000), { ageMs: 0, present: false })).toBe('offline');
  });

  it('ignores the agent clock: a beat stamped an hour ago but written just now is online', () => {
    const hb = beat(1000, REDIS_NOW - 3_600_000);
    expect(statusOf(hb, { ageMs: ageOf(hb, 30_000, REDIS_NOW), present: true })).toBe('online');
  });
});
