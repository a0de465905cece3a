/** The replica membership on a real Redis, scored on the server's clock. */
import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import { MAX_REPLICA_ID_LENGTH, ReplicaMembership } from '../../src/replicas/membership';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';

const WINDOW_MS = 1_000;

describeWithRedis('ReplicaMembership', () => {
  let redis: Redis;
  const started: ReplicaMembership[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    redis = new Redis(await claimDatabase());
  });

  afterAll(async () => {
    await redis?.quit();
  });

  beforeEach(async () => {
    await redis.flushdb();
    errors.length = 0;
  });

  afterEach(async () => {
    for (const m of started.splice(0)) await m.stop();
  });

  function member(replicaId: string, refreshMs = 100, liveWindowMs = WINDOW_MS): ReplicaMembership {
    const m = new ReplicaMembership(redis, {
      replicaId,
      liveWindowMs,
      refreshMs,
      onError: (error) => errors.push(error),
    });
    started.push(m);
    return m;
  }

  async function redisNowMs(): Promise<number> {
    const [s, us] = await redis.time();
    return Number(s) * 1000 + Math.floor(Number(us) / 1000);
  }

  it('announces itself scored with the Redis server’s clock', async () => {
    const before = await redisNowMs();
    await member('a-1').start();
    const score = Number(await redis.zscore(QuasarKeys.collectors, 'a-1'));
    expect(score).toBeGreaterThanOrEqual(before);
    expect(score).toBeLessThanOrEqual((await redisNowMs()) + 1);
  });

  it('sees every live replica, itself included', async () => {
    const a = member('a-1');
    await a.start();
    await member('b-1').start();
    await eventually(() => (a.members.length === 2 ? true : undefined), 15_000, 'a to see b');
    expect([...a.members].sort()).toEqual(['a-1', 'b-1']);
  });

  it('refreshes its score on its own timer', async () => {
    await member('a-1').start();
    const first = Number(await redis.zscore(QuasarKeys.collectors, 'a-1'));
    await eventually(
      async () =>
        Number(await redis.zscore(QuasarKeys.collectors, 'a-1')) > first ? true : undefined,
      15_000,
      'a newer score',
    );
  });

  it('drops a replica not seen for longer than the live window, and a score from the future', async () => {
    // A window long enough that 'recent-1' stays inside it however late a loaded machine
    // runs the first announcement after these writes.
    const window = 60_000;
    const now = await redisNowMs();
    await redis.zadd(QuasarKeys.collectors, now - window - 500, 'dead-1');
    await redis.zadd(QuasarKeys.collectors, now - window / 2, 'recent-1');
    await redis.zadd(QuasarKeys.collectors, now + 10 * window, 'future-1');
    const a = member('a-1', 100, window);
    await a.start();
    expect([...a.members].sort()).toEqual(['a-1', 'recent-1']);
    expect(await redis.zscore(QuasarKeys.collectors, 'dead-1')).toBeNull();
    expect(await redis.zscore(QuasarKeys.collectors, 'future-1')).toBeNull();
  });

  it('ignores members that cannot be replica ids', async () => {
    const now = await redisNowMs();
    await redis.zadd(QuasarKeys.collectors, now, 'x'.repeat(MAX_REPLICA_ID_LENGTH + 1));
    const a = member('a-1');
    await a.start();
    expect(a.members).toEqual(['a-1']);
  });

  it('removes itself at stop, so the others see it gone at their next announcement', async () => {
    const a = member('a-1');
    const b = member('b-1');
    await a.start();
    await b.start();
    await a.stop();
    expect(await redis.zscore(QuasarKeys.collectors, 'a-1')).toBeNull();
    await eventually(() => (b.members.length === 1 ? true : undefined), 15_000, 'b alone');
    // Stopped: no more announcements.
    await new Promise((r) => setTimeout(r, 300));
    expect(await redis.zscore(QuasarKeys.collectors, 'a-1')).toBeNull();
  });

  it('keeps the last membership and reports the error when an announcement fails', async () => {
    const broken = redis.duplicate();
    const a = new ReplicaMembership(broken, {
      replicaId: 'a-1',
      liveWindowMs: WINDOW_MS,
      refreshMs: 100,
      onError: (error) => errors.push(error),
    });
    await a.start();
    expect(a.members).toEqual(['a-1']);
    await broken.set(QuasarKeys.collectors, 'not a sorted set');
    await eventually(() => (errors.length > 0 ? true : undefined), 15_000, 'an error');
    expect(String(errors[0])).toMatch(/WRONGTYPE/);
    expect(a.members).toEqual(['a-1']);
    await a.stop();
    broken.disconnect();
  });
});
