/**
 * The `horizon` probe's periods against a real Redis holding Horizon's snapshots as Horizon
 * writes them (`updateMetrics` per job processed, `horizon:snapshot` moving the metrics into
 * `snapshot:queue:{name}`): one period between each two snapshots, the jobs counted in it and
 * their run time.
 */
import Redis from 'ioredis';
import { horizonProbe } from '../../../../src/queues/drivers/horizon/probe';
import type { QueuePeriod } from '../../../../src/schema';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { HorizonRepository } from '../../layouts/horizon';

const SNAPSHOTS = 'laravel_horizon:snapshot:queue:emails';

describeWithRedis('horizon probe periods (real Redis)', () => {
  let redis: Redis;
  let horizon: HorizonRepository;
  const t0 = Math.floor(Date.now() / 1000) - 7200;
  const nowMs = Date.now();
  const probe = () => horizonProbe.create('emails', {});

  /** Jobs run and measured as Horizon's worker does, `runtimes` ms each. */
  const run = async (runtimes: readonly number[]) => {
    for (const ms of runtimes) await horizon.measure('emails', ms);
  };

  beforeEach(async () => {
    redis = new Redis(await claimDatabase());
    horizon = new HorizonRepository(redis, { horizonPrefix: 'laravel_horizon:', cluster: false });
  });
  afterEach(async () => {
    await redis.quit();
  });

  it('reports one period per two snapshots: the jobs counted and their summed run time', async () => {
    await run([10]);
    await horizon.snapshot(['emails'], t0);
    await run([10, 20, 40]);
    await horizon.snapshot(['emails'], t0 + 300);
    await run([50, 50, 50, 50]);
    await horizon.snapshot(['emails'], t0 + 600);
    await horizon.snapshot(['emails'], t0 + 900);
    await run([7]);

    const { periods } = await probe().read({ redis, nowMs });

    expect(periods).toEqual([
      {
        startMs: t0 * 1000,
        endMs: (t0 + 300) * 1000,
        completed: 3,
        run: { count: 3, sum: 70 },
        source: 'horizon',
      },
      {
        startMs: (t0 + 300) * 1000,
        endMs: (t0 + 600) * 1000,
        completed: 4,
        run: { count: 4, sum: 200 },
        source: 'horizon',
      },
      {
        startMs: (t0 + 600) * 1000,
        endMs: (t0 + 900) * 1000,
        completed: 0,
        run: { count: 0, sum: 0 },
        source: 'horizon',
      },
    ]);
  });

  it('reports no period before Horizon took two snapshots of the queue', async () => {
    expect((await probe().read({ redis, nowMs })).periods).toBeUndefined();
    await run([10]);
    await horizon.snapshot(['emails'], t0);
    expect((await probe().read({ redis, nowMs })).periods).toBeUndefined();
  });

  it('reports the newest 5 periods, oldest first, of the 24 snapshots Horizon keeps', async () => {
    for (let i = 0; i < 30; i++) {
      await run(Array.from({ length: i }, () => 25));
      await horizon.snapshot(['emails'], t0 + i * 300);
    }
    expect(await redis.zcard(SNAPSHOTS)).toBe(24);

    const { periods } = await probe().read({ redis, nowMs });

    expect(periods?.map((p) => [p.startMs, p.endMs, p.completed, p.run])).toEqual(
      [25, 26, 27, 28, 29].map((i) => [
        (t0 + (i - 1) * 300) * 1000,
        (t0 + i * 300) * 1000,
        i,
        { count: i, sum: 25 * i },
      ]),
    );
  });

  it("never reports Horizon's time-to-clear estimate (`wait`) as a wait", async () => {
    await run([30]);
    await horizon.snapshot(['emails'], t0, { wait: 42 });
    await run([30, 30]);
    await horizon.snapshot(['emails'], t0 + 300, { wait: 42 });
    const [, member] = await redis.zrange(SNAPSHOTS, 0, -1);
    expect(member).toContain('"wait":42.0');

    const { periods } = await probe().read({ redis, nowMs });

    expect(periods).toEqual([
      expect.objectContaining({ completed: 2, run: { count: 2, sum: 60 } }),
    ]);
    expect(periods?.[0]).not.toHaveProperty('wait');
  });

  it('reads an idle snapshot as phpredis writes it (false for a missing field)', async () => {
    await run([30]);
    await horizon.snapshot(['emails'], t0, { client: 'phpredis' });
    await horizon.snapshot(['emails'], t0 + 300, { client: 'phpredis' });
    expect(await redis.zrange(SNAPSHOTS, -1, -1)).toEqual([
      `{"throughput":false,"runtime":false,"wait":0,"time":${t0 + 300}}`,
    ]);

    const { periods } = await probe().read({ redis, nowMs });

    expect(periods).toEqual([
      {
        startMs: t0 * 1000,
        endMs: (t0 + 300) * 1000,
        completed: 0,
        run: { count: 0, sum: 0 },
        source: 'horizon',
      },
    ]);
  });

  it('reports the same periods from every node probing the queue, read after read', async () => {
    for (let i = 0; i < 8; i++) {
      await run([3.33, 6.67, 1.01].slice(0, (i % 3) + 1));
      await horizon.snapshot(['emails'], t0 + i * 300);
    }
    const other = new Redis(redis.options);
    try {
      const first = await probe().read({ redis, nowMs });
      const second = await probe().read({ redis: other, nowMs: nowMs + 4321 });
      const again = probe();
      await again.read({ redis, nowMs });
      expect(first.periods).toHaveLength(5);
      expect(second.periods).toEqual(first.periods);
      expect((await again.read({ redis, nowMs: nowMs + 9000 })).periods).toEqual(first.periods);
    } finally {
      await other.quit();
    }
  });

  it('sees the next snapshot on the next read, and keeps no change a caller made', async () => {
    await run([10]);
    await horizon.snapshot(['emails'], t0);
    await run([10, 30]);
    await horizon.snapshot(['emails'], t0 + 300);
    const queueProbe = probe();
    const first = await queueProbe.read({ redis, nowMs });
    first.periods![0]!.completed = 99;
    first.periods![0]!.run!.sum = -1;
    const expected = [[t0 + 300, 2, { count: 2, sum: 40 }]];
    const summary = (periods: QueuePeriod[] | undefined) =>
      periods?.map((p) => [p.endMs / 1000, p.completed, p.run]);
    expect(summary((await queueProbe.read({ redis, nowMs })).periods)).toEqual(expected);

    await run([5]);
    await horizon.snapshot(['emails'], t0 + 600);
    expect(summary((await queueProbe.read({ redis, nowMs })).periods)).toEqual([
      ...expected,
      [t0 + 600, 1, { count: 1, sum: 5 }],
    ]);
  });

  describe('a member that is not a Horizon snapshot', () => {
    const t = (i: number) => t0 + i * 300;
    /** Snapshots at t(0) … t(5), the one at t(2) replaced by `bad`. */
    const writeAround = async (bad: string) => {
      for (const i of [0, 1, 3, 4, 5]) {
        await run([20, 40].slice(0, (i % 2) + 1));
        await horizon.snapshot(['emails'], t(i));
      }
      await redis.zadd(SNAPSHOTS, t(2), bad);
    };

    it.each([
      ['not JSON', '{"throughput":"3",'],
      ['a JSON array', `["3","20",0,${t0 + 600}]`],
      [
        'its time in __proto__',
        `{"__proto__":{"time":${t0 + 600}},"throughput":"1","runtime":"5"}`,
      ],
      ['a time as text', `{"throughput":"1","runtime":"5","wait":0,"time":"${t0 + 600}"}`],
      ['a negative time', `{"throughput":"1","runtime":"5","wait":0,"time":-1}`],
      ['a fractional time', `{"throughput":"1","runtime":"5","wait":0,"time":${t0 + 600}.5}`],
      [
        'a count in exponent form',
        `{"throughput":"1e9","runtime":"5","wait":0,"time":${t0 + 600}}`,
      ],
      ['a negative count', `{"throughput":"-1","runtime":"5","wait":0,"time":${t0 + 600}}`],
      [
        'a runtime that is not a number',
        `{"throughput":"2","runtime":"x","wait":0,"time":${t0 + 600}}`,
      ],
      [
        'a runtime past any job',
        `{"throughput":"2","runtime":"1e300","wait":0,"time":${t0 + 600}}`,
      ],
      [
        'a count without a runtime',
        `{"throughput":"2","runtime":null,"wait":0,"time":${t0 + 600}}`,
      ],
      [
        'an over-long member',
        `{"throughput":"2","runtime":"5",${' '.repeat(600)}"wait":0,"time":${t0 + 600}}`,
      ],
    ])(
      'is dropped with its periods, warned about once, and costs nothing else: %s',
      async (_, bad) => {
        await writeAround(bad);
        const queueProbe = probe();

        const reading = await queueProbe.read({ redis, nowMs });
        const again = await queueProbe.read({ redis, nowMs });

        // [t0, t1) and [t3, t4), [t4, t5) stand; [t1, t2) and [t2, t3) have a bad end or start.
        expect(
          reading.periods?.map((p) => [p.startMs / 1000, p.endMs / 1000, p.completed]),
        ).toEqual([
          [t(0), t(1), 2],
          [t(3), t(4), 1],
          [t(4), t(5), 2],
        ]);
        expect(reading.warnings).toEqual([
          "1 of the last 6 members of Horizon's snapshot:queue:emails are not Horizon snapshots; dropped with their periods",
        ]);
        expect(again.warnings).toBeUndefined();
        expect(again.periods).toEqual(reading.periods);
        expect(reading.size).toMatchObject({ waiting: 0, active: 0, failed: 0 });
        expect(({} as Record<string, unknown>).time).toBeUndefined();
      },
    );

    it('warns again when more members are unreadable than at the last read', async () => {
      await writeAround('nope');
      const queueProbe = probe();
      expect((await queueProbe.read({ redis, nowMs })).warnings).toHaveLength(1);
      await redis.zadd(SNAPSHOTS, t(6), 'still nope');
      expect((await queueProbe.read({ redis, nowMs })).warnings).toEqual([
        expect.stringMatching(/^2 of the last 6 members/),
      ]);
    });
  });

  it('reads at most the newest 6 members, however many Horizon is set to keep', async () => {
    for (let i = 0; i < 40; i++) {
      await run([5]);
      await horizon.snapshot(['emails'], t0 + i * 60, { trimSnapshots: 1000 });
    }
    expect(await redis.zcard(SNAPSHOTS)).toBe(40);
    const { periods } = await probe().read({ redis, nowMs });
    expect(periods?.map((p) => p.endMs)).toEqual(
      [35, 36, 37, 38, 39].map((i) => (t0 + i * 60) * 1000),
    );
  });
});
