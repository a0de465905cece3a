/** Leases on a real Redis: acquire, renew, release, and the local clock that outlives a pause. */
import Redis from 'ioredis';
import { LEASE_MARGIN_FRACTION, LeaseTable } from '../../src/replicas/lease-table';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';

/** A monotonic clock the test moves by hand: a paused process sees time jump. */
class ManualClock {
  nowMs = 1_000;
  readonly now = () => this.nowMs;
}

/**
 * Real time on Redis (the table's own clock is the manual one): long enough that no lease
 * lapses between two steps of a test on a loaded machine.
 */
const TTL_MS = 10_000;
const KEY = 'gravito:quasar:lease:service:orders';
const OTHER = 'gravito:quasar:lease:service:billing';

describeWithRedis('LeaseTable', () => {
  let redis: Redis;
  let clock: ManualClock;

  beforeAll(async () => {
    redis = new Redis(await claimDatabase());
  });

  afterAll(async () => {
    await redis?.quit();
  });

  beforeEach(async () => {
    await redis.flushdb();
    clock = new ManualClock();
  });

  const table = (token: string, ttl = TTL_MS) => new LeaseTable(redis, token, ttl, clock.now);

  it('acquires a free lease with SET NX PX, holding the token and the TTL', async () => {
    const a = table('a#1');
    const step = await a.step(new Set([KEY]));
    expect(step.acquired).toEqual([KEY]);
    expect(a.valid(KEY)).toBe(true);
    expect(await redis.get(KEY)).toBe('a#1');
    const pttl = await redis.pttl(KEY);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(TTL_MS);
  });

  it('cannot acquire a lease another replica holds', async () => {
    const a = table('a#1');
    const b = table('b#1');
    await a.step(new Set([KEY]));
    const step = await b.step(new Set([KEY, OTHER]));
    expect(step.acquired).toEqual([OTHER]);
    expect(b.valid(KEY)).toBe(false);
    expect(await redis.get(KEY)).toBe('a#1');
  });

  it('renews its own lease each step, restoring the TTL', async () => {
    const a = table('a#1', 60_000);
    await a.step(new Set([KEY]));
    // Shortened, yet long enough not to lapse before the next step on a loaded machine.
    await redis.pexpire(KEY, 5_000);
    const step = await a.step(new Set([KEY]));
    expect(step).toMatchObject({ acquired: [], lost: [], regained: [], renewalFailures: 0 });
    expect(await redis.pttl(KEY)).toBeGreaterThan(50_000);
  });

  it('loses a lease taken over by another replica, and stops exporting it at once', async () => {
    const a = table('a#1');
    await a.step(new Set([KEY]));
    // A's lease lapsed (a pause), then B took it.
    await redis.set(KEY, 'b#1', 'PX', 60_000);
    const step = await a.step(new Set([KEY]));
    expect(step.lost).toEqual([KEY]);
    expect(step.renewalFailures).toBe(1);
    expect(a.valid(KEY)).toBe(false);
    // The renewal compared the holder: B's lease is untouched, TTL included.
    expect(await redis.get(KEY)).toBe('b#1');
    expect(await redis.pttl(KEY)).toBeGreaterThan(50_000);
  });

  it('never deletes another replica’s lease when releasing (compare-and-delete)', async () => {
    const a = table('a#1');
    await a.step(new Set([KEY]));
    await redis.set(KEY, 'b#1', 'PX', 60_000);
    const step = await a.step(new Set());
    expect(step.released).toEqual([]);
    expect(await redis.get(KEY)).toBe('b#1');
  });

  it('releases a lease it no longer wants, so another replica acquires it at once', async () => {
    const a = table('a#1', 60_000);
    const b = table('b#1', 60_000);
    await a.step(new Set([KEY]));
    expect((await a.step(new Set())).released).toEqual([KEY]);
    expect(a.valid(KEY)).toBe(false);
    expect((await b.step(new Set([KEY]))).acquired).toEqual([KEY]);
  });

  it('counts a lease as held only until the renewal’s send time + TTL − margin, with no Redis reply', async () => {
    const a = table('a#1');
    await a.step(new Set([KEY]));
    const margin = TTL_MS * LEASE_MARGIN_FRACTION;
    clock.nowMs += TTL_MS - margin - 1;
    expect(a.valid(KEY)).toBe(true);
    // The process was paused past its deadline: on resuming it holds nothing, before any
    // command could tell it so (Redis still holds the key: PX is real time, this clock is not).
    clock.nowMs += 2;
    expect(a.valid(KEY)).toBe(false);
    expect(a.validKeys()).toEqual([]);
    expect(await redis.get(KEY)).toBe('a#1');
  });

  it('dates the deadline from when the renewal was sent, not from when its reply came', async () => {
    const a = table('a#1');
    const pending = a.step(new Set([KEY]));
    // The reply arrives late (the process stalled after sending).
    clock.nowMs += TTL_MS;
    await pending;
    expect(a.valid(KEY)).toBe(false);
  });

  it('renews a lease that lapsed only locally, and holds it again', async () => {
    const a = table('a#1', 60_000);
    await a.step(new Set([KEY]));
    clock.nowMs += 60_000;
    expect(a.valid(KEY)).toBe(false);
    const step = await a.step(new Set([KEY]));
    expect(a.valid(KEY)).toBe(true);
    // Not exported while it lapsed: the cycle exports it again at once.
    expect(step).toMatchObject({ acquired: [], regained: [KEY] });
  });

  it('stops counting a lease whose renewal errs, then renews it when Redis answers again', async () => {
    const a = table('a#1', 60_000);
    await a.step(new Set([KEY]));
    // A renewal that fails in Redis: the key turned into a hash (WRONGTYPE inside the script).
    const value = await redis.get(KEY);
    await redis.del(KEY);
    await redis.hset(KEY, 'x', '1');
    const failed = await a.step(new Set([KEY]));
    expect(failed.error).toBeDefined();
    expect(failed.renewalFailures).toBe(1);
    expect(a.valid(KEY)).toBe(false);
    await redis.del(KEY);
    await redis.set(KEY, value!, 'PX', 60_000);
    const again = await a.step(new Set([KEY]));
    expect(a.valid(KEY)).toBe(true);
    expect(again).toMatchObject({ acquired: [], regained: [KEY] });
    // Held throughout from then on: nothing regained.
    expect((await a.step(new Set([KEY]))).regained).toEqual([]);
  });

  it('sends every operation of a step in one pipeline: one round trip', async () => {
    const a = table('a#1', 60_000);
    await a.step(new Set([KEY, 'gravito:quasar:lease:service:gone']));
    const original = redis.pipeline.bind(redis);
    let execs = 0;
    const pipelines = jest.spyOn(redis, 'pipeline').mockImplementation(() => {
      const pipeline = original();
      const exec = pipeline.exec.bind(pipeline);
      pipeline.exec = () => {
        execs++;
        return exec();
      };
      return pipeline;
    });
    const sendCommand = jest.spyOn(redis, 'sendCommand');
    try {
      // Renew one, acquire one, release one.
      const step = await a.step(new Set([KEY, OTHER]));
      expect(step.acquired).toEqual([OTHER]);
      expect(step.released).toEqual(['gravito:quasar:lease:service:gone']);
      expect(pipelines).toHaveBeenCalledTimes(1);
      expect(execs).toBe(1);
      // The three commands went out in that pipeline, none on its own.
      expect(sendCommand).toHaveBeenCalledTimes(3);
    } finally {
      pipelines.mockRestore();
      sendCommand.mockRestore();
    }
  });

  it('releases everything it holds at stop', async () => {
    const a = table('a#1', 60_000);
    await a.step(new Set([KEY, OTHER]));
    expect(await a.releaseAll()).toBe(2);
    expect(await redis.exists(KEY, OTHER)).toBe(0);
    expect(a.validKeys()).toEqual([]);
  });
});
