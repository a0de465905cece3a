import { MAX_QUEUES, QuasarKeys } from '@gravito/quasar/schema';
import { HISTORY_DEFAULTS } from '../../src/history/queue-history';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { beat, writeV1 } from '../support/beats';
import { bearer, startPulse } from './pulse-fixture';
import type { Pulse } from './pulse-fixture';

interface QueueHistoryJson {
  t: number[];
  waiting: number[];
  active: number[];
  failed: number[];
  delayed: number[];
  in?: number[];
  out?: number[];
  failureRate?: Array<number | null>;
  failureRateFrom: string | null;
}

interface HistoryBody {
  service: string;
  resolutionMs: number;
  windowMs: number;
  serverTime: number;
  queues: Record<string, QueueHistoryJson>;
}

const RESOLUTION_MS = 250;
const POINTS = 5;

/** A queue snapshot as an agent writes it into its service's hash. */
function snapshot(name: string, waiting: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name,
    driver: 'bullmq',
    size: { waiting, active: 1, failed: waiting * 2, delayed: 0 },
    observedAt: Date.now(),
    ...extra,
  });
}

/** Cycles until the history has recorded a new step, which then holds what Redis holds now. */
async function recordStep(pulse: Pulse): Promise<void> {
  const before = pulse.collector.state.history.lastStepMs;
  await eventually(
    async () => {
      await pulse.cycle();
      return pulse.collector.state.history.lastStepMs > before ? true : undefined;
    },
    5000,
    'a new history step',
  );
}

async function history(pulse: Pulse, query: string): Promise<HistoryBody> {
  const res = await pulse.get(`/api/pulse/queues/history?${query}`, bearer);
  expect(res.statusCode).toBe(200);
  return res.json<HistoryBody>();
}

describeWithRedis('GET /api/pulse/queues/history', () => {
  describe(`over real cycles, one point per ${RESOLUTION_MS} ms, ${POINTS} kept`, () => {
    let pulse: Pulse;
    const hash = QuasarKeys.queues('shop');

    beforeAll(async () => {
      pulse = await startPulse(
        await claimDatabase(),
        {},
        { history: { resolutionMs: RESOLUTION_MS, points: POINTS } },
      );
      await writeV1(pulse.redis, beat('shop', 'shop-1'));
    });

    afterAll(async () => {
      await pulse?.close();
    });

    it('answers 503 QUASAR_NOT_READY before the first cycle', async () => {
      const res = await pulse.get('/api/pulse/queues/history?service=shop', bearer);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'QUASAR_NOT_READY' } });
    });

    it('serves exactly the points recorded, in order, one per step', async () => {
      const rates = { in: 12, out: 9.5, failed: 0.25, source: 'events', windowMs: 60_000 };
      for (const waiting of [10, 20, 30]) {
        await pulse.redis.hset(hash, {
          emails: snapshot('emails', waiting),
          rated: snapshot('rated', waiting + 1, { throughput: rates }),
        });
        await recordStep(pulse);
      }
      const body = await history(pulse, 'service=shop');
      expect(body).toMatchObject({ service: 'shop', resolutionMs: 250, windowMs: 1250 });
      const emails = body.queues.emails!;
      expect(emails.waiting).toEqual([10, 20, 30]);
      expect(emails.active).toEqual([1, 1, 1]);
      expect(emails.failed).toEqual([20, 40, 60]);
      expect(emails.in).toBeUndefined();
      expect(emails.failureRateFrom).toBe('failed-count');
      expect(emails.failureRate?.[0]).toBeNull();
      expect(emails.t).toHaveLength(3);
      for (const [i, t] of emails.t.entries()) {
        expect(t % RESOLUTION_MS).toBe(0);
        if (i > 0) expect(t).toBeGreaterThan(emails.t[i - 1]!);
      }
      // Failed count +20 per step: 20 jobs over (t₁ − t₀) ms, per minute.
      expect(emails.failureRate?.[1]).toBeCloseTo((20 * 60_000) / (emails.t[1]! - emails.t[0]!), 3);
      const rated = body.queues.rated!;
      expect(rated.waiting).toEqual([11, 21, 31]);
      expect(rated.in).toEqual([12, 12, 12]);
      expect(rated.out).toEqual([9.5, 9.5, 9.5]);
      expect(rated.failureRate).toEqual([0.25, 0.25, 0.25]);
      expect(rated.failureRateFrom).toBe('throughput');
    });

    it(`keeps at most ${POINTS} points per queue, the newest`, async () => {
      for (const waiting of [40, 50, 60, 70]) {
        await pulse.redis.hset(hash, { emails: snapshot('emails', waiting) });
        await recordStep(pulse);
      }
      const { queues } = await history(pulse, 'service=shop&queue=emails');
      expect(Object.keys(queues)).toEqual(['emails']);
      expect(queues.emails!.waiting).toEqual([30, 40, 50, 60, 70]);
    });

    it('serves only the points after `since`', async () => {
      const whole = await history(pulse, 'service=shop&queue=emails');
      const since = whole.queues.emails!.t[2]!;
      const { queues } = await history(pulse, `service=shop&queue=emails&since=${since}`);
      expect(queues.emails!.waiting).toEqual([60, 70]);
      expect(queues.emails!.t).toEqual(whole.queues.emails!.t.slice(3));
    });

    it('evicts a queue no longer reported once the window has passed', async () => {
      await pulse.redis.hdel(hash, 'rated');
      const evicted = pulse.collector.state.history.stats().evicted;
      await eventually(
        async () => {
          await pulse.redis.hset(hash, { emails: snapshot('emails', 80) });
          await recordStep(pulse);
          return pulse.collector.state.history.stats().evicted > evicted ? true : undefined;
        },
        10_000,
        'the eviction of a queue gone for the window',
      );
      expect(pulse.collector.state.history.stats().evicted).toBe(evicted + 1);
      expect(pulse.collector.state.history.service('shop')?.has('rated')).toBe(false);
      const { queues } = await history(pulse, 'service=shop');
      expect(Object.keys(queues)).toEqual(['emails']);
      const metrics = await pulse.get('/metrics');
      expect(metrics.body).toMatch(/^quasar_collector_history_evicted_total 1$/m);
      expect(metrics.body).toMatch(/^quasar_collector_history_series 1$/m);
    });

    it('answers clear 400s for a missing service, bad since, too many queues, unknown names', async () => {
      const cases = [
        '',
        'service=',
        'service=shop&since=-1',
        'service=shop&since=1e400',
        'service=shop&since=Infinity',
        'service=shop&since=abc',
        `service=shop&${Array.from({ length: 51 }, (_, i) => `queue=q${i}`).join('&')}`,
        'service=shop&queue=',
        `service=shop&queue=${'x'.repeat(257)}`,
        'service=shop&queue=a%0Ab',
        'service=shop&limit=1',
        'service=a&service=b',
      ];
      for (const query of cases) {
        const res = await pulse.get(`/api/pulse/queues/history?${query}`, bearer);
        expect([query, res.statusCode]).toEqual([query, 400]);
        expect(res.json()).toMatchObject({ error: { code: 'QUASAR_BAD_REQUEST' } });
      }
    });

    it('needs the API token', async () => {
      const res = await pulse.get('/api/pulse/queues/history?service=shop');
      expect(res.statusCode).toBe(401);
    });

    it('answers an unknown service or queue with no queues', async () => {
      expect((await history(pulse, 'service=nobody')).queues).toEqual({});
      expect((await history(pulse, 'service=shop&queue=nothing')).queues).toEqual({});
    });
  });

  describe('with hostile queue names', () => {
    let pulse: Pulse;
    const names = [
      '__proto__',
      'constructor',
      'toString',
      'a"b\\c</script><svg onload=alert(1)>',
      'é 😀 \u202e',
      'line\nbreak',
      'x'.repeat(256),
    ];

    beforeAll(async () => {
      pulse = await startPulse(await claimDatabase());
      await writeV1(pulse.redis, beat('__proto__', 'n-1'));
      await pulse.redis.hset(
        QuasarKeys.queues('__proto__'),
        Object.fromEntries(names.map((name, i) => [name, snapshot(name, i)])),
      );
      await pulse.cycle();
    });

    afterAll(async () => {
      await pulse?.close();
    });

    it('serves each under its own name, as JSON that parses to own properties', async () => {
      const body = await history(pulse, 'service=__proto__');
      expect(body.service).toBe('__proto__');
      expect(Object.keys(body.queues).sort()).toEqual([...names].sort());
      for (const [i, name] of names.entries()) {
        expect(Object.hasOwn(body.queues, name)).toBe(true);
        expect(body.queues[name]!.waiting).toEqual([i]);
      }
    });

    it('finds a queue by any name the query may carry', async () => {
      const name = names[3]!;
      const body = await history(pulse, `service=__proto__&queue=${encodeURIComponent(name)}`);
      expect(Object.keys(body.queues)).toEqual([name]);
      const proto = await history(pulse, 'service=__proto__&queue=__proto__');
      expect(Object.keys(proto.queues)).toEqual(['__proto__']);
    });
  });

  describe('with thousands of queues', () => {
    const SERVICES = 17;
    let pulse: Pulse;

    beforeAll(async () => {
      pulse = await startPulse(await claimDatabase());
      for (let s = 0; s < SERVICES; s++) {
        const service = `svc-${String(s).padStart(2, '0')}`;
        await writeV1(pulse.redis, beat(service, `${service}-1`));
        const fields: Record<string, string> = {};
        // One more than a service may hold: the extra one never reaches the history.
        for (let q = 0; q <= MAX_QUEUES; q++) fields[`q${q}`] = snapshot(`q${q}`, q);
        await pulse.redis.hset(QuasarKeys.queues(service), fields);
      }
      await pulse.cycle();
    }, 60_000);

    afterAll(async () => {
      await pulse?.close();
    });

    it('holds at most maxSeries rings, of exactly the bytes documented, and counts the drops', async () => {
      const offered = SERVICES * MAX_QUEUES;
      const { maxSeries } = HISTORY_DEFAULTS;
      expect(offered).toBeGreaterThan(maxSeries);
      const stats = pulse.collector.state.history.stats();
      expect(stats).toMatchObject({ series: maxSeries, dropped: offered - maxSeries });
      expect(stats.bytes).toBe(maxSeries * 13_320);
      let held = 0;
      let served = 0;
      for (let s = 0; s < SERVICES; s++) {
        const service = `svc-${String(s).padStart(2, '0')}`;
        for (const ring of pulse.collector.state.history.service(service)?.values() ?? []) {
          held += ring.bytes;
        }
        served += Object.keys((await history(pulse, `service=${service}`)).queues).length;
      }
      expect(held).toBe(stats.bytes);
      expect(served).toBe(maxSeries);
      const metrics = await pulse.get('/metrics');
      expect(metrics.body).toMatch(/^quasar_collector_history_series 4096$/m);
      expect(metrics.body).toMatch(
        new RegExp(`^quasar_collector_history_dropped_total ${offered - maxSeries}$`, 'm'),
      );
      expect(metrics.body).toMatch(/^quasar_collector_history_bytes 54558720$/m);
    });
  });
});
