/**
 * The `horizon` probe's throughput against a real Redis holding Horizon's metrics as Horizon
 * writes them (`updateMetrics` per job processed, `horizon:snapshot`): jobs per minute since the
 * last snapshot, as Horizon's own "jobs per minute" divides them.
 */
import Redis from 'ioredis';
import { horizonProbe } from '../../../../src/queues/drivers/horizon/probe';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { HorizonRepository } from '../../layouts/horizon';

describeWithRedis('horizon probe throughput (real Redis)', () => {
  let redis: Redis;
  let horizon: HorizonRepository;
  const now = Math.floor(Date.now() / 1000);
  const nowMs = now * 1000;
  const read = (options: Record<string, unknown> = {}) =>
    horizonProbe.create('emails', options).read({ redis, nowMs });

  beforeEach(async () => {
    redis = new Redis(await claimDatabase());
    horizon = new HorizonRepository(redis, { horizonPrefix: 'laravel_horizon:', cluster: false });
  });
  afterEach(async () => {
    await redis.quit();
  });

  it('reports the jobs processed since the last snapshot per minute since it, as out', async () => {
    await horizon.snapshot(['emails'], now - 300);
    for (let i = 0; i < 30; i++) await horizon.measure('emails', 120);
    for (let i = 0; i < 7; i++) await horizon.measure('billing', 50);
    const { throughput } = await read();
    expect(throughput).toEqual({ out: 6, source: 'horizon', windowMs: 300_000, meanRunMs: 120 });
  });

  it("reports Horizon's running mean of those jobs' run times as meanRunMs", async () => {
    await horizon.snapshot([], now - 300);
    for (const ms of [10, 20, 40]) await horizon.measure('emails', ms);
    const { throughput } = await read();
    expect(throughput?.meanRunMs).toBeCloseTo(70 / 3, 10);
    expect(throughput?.out).toBe(0.6);
  });

  it('divides by at least one minute, as Horizon does right after a snapshot', async () => {
    await horizon.snapshot([], now - 20);
    for (let i = 0; i < 4; i++) await horizon.measure('emails', 10);
    expect((await read()).throughput).toEqual({
      out: 4,
      source: 'horizon',
      windowMs: 60_000,
      meanRunMs: 10,
    });
  });

  it('starts again from zero after a snapshot moved the count into snapshot:queue:{name}', async () => {
    await horizon.snapshot([], now - 600);
    for (let i = 0; i < 9; i++) await horizon.measure('emails', 10);
    await horizon.snapshot(['emails'], now - 90);
    expect((await read()).throughput).toEqual({ out: 0, source: 'horizon', windowMs: 90_000 });
    expect(await redis.zcard('laravel_horizon:snapshot:queue:emails')).toBe(1);
  });

  it('reports no throughput before Horizon took any snapshot, and writes none itself', async () => {
    await horizon.measure('emails', 10);
    expect((await read()).throughput).toBeUndefined();
    expect(await redis.exists('laravel_horizon:last_snapshot_at')).toBe(0);
  });

  it('reads the metrics under a custom Horizon prefix', async () => {
    const custom = new HorizonRepository(redis, { horizonPrefix: 'shop_horizon:', cluster: false });
    await custom.snapshot([], now - 120);
    for (let i = 0; i < 3; i++) await custom.measure('emails', 10);
    expect((await read({ horizonPrefix: 'shop_horizon:' })).throughput).toMatchObject({
      out: 1.5,
    });
  });

  it('ignores a counter that is not a count', async () => {
    await horizon.snapshot([], now - 120);
    await redis.hset('laravel_horizon:queue:emails', 'throughput', '1e9', 'runtime', '5');
    expect((await read()).throughput).toBeUndefined();
  });

  it('ignores a count without the mean Horizon writes beside it, or a mean that is not one', async () => {
    await horizon.snapshot([], now - 120);
    await redis.hset('laravel_horizon:queue:emails', 'throughput', '3');
    expect((await read()).throughput).toBeUndefined();
    await redis.hset('laravel_horizon:queue:emails', 'runtime', '-4');
    expect((await read()).throughput).toBeUndefined();
  });
});
