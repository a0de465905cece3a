/**
 * QuasarAgent.recordSlow against a real Redis: thresholds, fields, lifecycle and trimming.
 */
import Redis from 'ioredis';
import { QuasarAgent } from '../../src';
import type { QuasarOptions } from '../../src';
import { QuasarKeys } from '../../src/schema';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { readSlowLog, recordingLogger, silent } from './support';

describeWithRedis('QuasarAgent.recordSlow (real Redis)', () => {
  let url: string;
  let redis: Redis;
  const agents: QuasarAgent[] = [];
  const agent = (options: QuasarOptions = {}) => {
    const a = new QuasarAgent({
      service: 'shop',
      name: 'web-1',
      logger: silent,
      otel: { enabled: false },
      transport: { url },
      ...options,
    });
    agents.push(a);
    return a;
  };
  const length = () => redis.xlen(QuasarKeys.slowLog('shop'));

  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await redis.quit();
  });

  it('writes entries at or above their threshold with every field, and nothing below it', async () => {
    const a = agent();
    await a.start();
    const before = Date.now();
    expect(a.recordSlow({ kind: 'request', name: 'GET /cart', durationMs: 999.9 })).toBe(false);
    expect(
      a.recordSlow({
        kind: 'request',
        name: 'GET /cart',
        durationMs: 1000,
        method: 'GET',
        route: '/cart',
        status: 503,
      }),
    ).toBe(true);
    expect(a.recordSlow({ kind: 'job', name: 'invoice', durationMs: 4999 })).toBe(false);
    expect(
      a.recordSlow({ kind: 'job', name: 'invoice', durationMs: 7250.5, queue: 'billing' }),
    ).toBe(true);
    const after = Date.now();
    await a.stop();

    const stored = await readSlowLog(redis, 'shop');
    expect(stored.map((s) => s.entry)).toEqual([
      {
        kind: 'request',
        name: 'GET /cart',
        durationMs: 1000,
        thresholdMs: 1000,
        nodeId: `web-1-${process.pid}`,
        timestamp: expect.any(Number),
        method: 'GET',
        route: '/cart',
        status: 503,
      },
      {
        kind: 'job',
        name: 'invoice',
        durationMs: 7250.5,
        thresholdMs: 5000,
        nodeId: `web-1-${process.pid}`,
        timestamp: expect.any(Number),
        queue: 'billing',
      },
    ]);
    for (const { entry } of stored) {
      expect(entry.timestamp).toBeGreaterThanOrEqual(before);
      expect(entry.timestamp).toBeLessThanOrEqual(after);
    }
    expect(a.getSlowLogStats()).toEqual({
      recorded: 2,
      written: 2,
      dropped: 0,
      pending: 0,
      invalid: 0,
    });
  });

  it('takes the thresholds from the options', async () => {
    const a = agent({ slowLog: { requestThresholdMs: 10, jobThresholdMs: 20 } });
    await a.start();
    expect(a.recordSlow({ kind: 'request', name: 'GET /', durationMs: 9 })).toBe(false);
    expect(a.recordSlow({ kind: 'request', name: 'GET /', durationMs: 10 })).toBe(true);
    expect(a.recordSlow({ kind: 'job', name: 'j', durationMs: 19 })).toBe(false);
    expect(a.recordSlow({ kind: 'job', name: 'j', durationMs: 20 })).toBe(true);
    await a.stop();
    const thresholds = (await readSlowLog(redis, 'shop')).map((s) => s.entry.thresholdMs);
    expect(thresholds).toEqual([10, 20]);
  });

  it('takes the thresholds from QUASAR_SLOW_REQUEST_MS and QUASAR_SLOW_JOB_MS', async () => {
    process.env.QUASAR_SLOW_REQUEST_MS = '30';
    process.env.QUASAR_SLOW_JOB_MS = '40';
    let a: QuasarAgent;
    try {
      a = agent();
    } finally {
      delete process.env.QUASAR_SLOW_REQUEST_MS;
      delete process.env.QUASAR_SLOW_JOB_MS;
    }
    await a.start();
    expect(a.recordSlow({ kind: 'request', name: 'GET /', durationMs: 29 })).toBe(false);
    expect(a.recordSlow({ kind: 'request', name: 'GET /', durationMs: 30 })).toBe(true);
    expect(a.recordSlow({ kind: 'job', name: 'j', durationMs: 39 })).toBe(false);
    expect(a.recordSlow({ kind: 'job', name: 'j', durationMs: 40 })).toBe(true);
    await a.stop();
    const thresholds = (await readSlowLog(redis, 'shop')).map((s) => s.entry.thresholdMs);
    expect(thresholds).toEqual([30, 40]);
  });

  it('keeps entries recorded before start() and writes them once connected', async () => {
    const a = agent();
    expect(a.recordSlow({ kind: 'job', name: 'early', durationMs: 6000 })).toBe(true);
    expect(a.getSlowLogStats().pending).toBe(1);
    await a.start();
    const stored = await eventually(async () => {
      const entries = await readSlowLog(redis, 'shop');
      return entries.length > 0 ? entries : undefined;
    });
    expect(stored.map((s) => s.entry.name)).toEqual(['early']);
  });

  it('writes every pending entry, in order, before stop() resolves', async () => {
    const a = agent({ slowLog: { jobThresholdMs: 0 } });
    await a.start();
    for (let i = 0; i < 600; i++) a.recordSlow({ kind: 'job', name: `job-${i}`, durationMs: i });
    await a.stop();
    const names = (await readSlowLog(redis, 'shop')).map((s) => s.entry.name);
    expect(names).toEqual(Array.from({ length: 600 }, (_, i) => `job-${i}`));
    expect(a.getSlowLogStats()).toMatchObject({ recorded: 600, written: 600, pending: 0 });
  });

  it('returns false and writes nothing once stop() was called', async () => {
    const a = agent({ slowLog: { jobThresholdMs: 0 } });
    await a.start();
    const stopping = a.stop();
    expect(a.recordSlow({ kind: 'job', name: 'late', durationMs: 1 })).toBe(false);
    await stopping;
    expect(a.recordSlow({ kind: 'job', name: 'later', durationMs: 1 })).toBe(false);
    expect(await length()).toBe(0);
    expect(a.getSlowLogStats().recorded).toBe(0);
  });

  it('does nothing when the slow log is disabled', async () => {
    const a = agent({ slowLog: { enabled: false } });
    await a.start();
    expect(a.recordSlow({ kind: 'job', name: 'j', durationMs: 60_000 })).toBe(false);
    await a.stop();
    expect(await length()).toBe(0);
    expect(a.getSlowLogStats()).toEqual({
      recorded: 0,
      written: 0,
      dropped: 0,
      pending: 0,
      invalid: 0,
    });
  });

  it('never throws on garbage input, counts it as invalid and logs it once', async () => {
    const { lines, logger } = recordingLogger();
    const a = agent({ logger });
    await a.start();
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('getter exploded');
        },
      },
    );
    const garbage: unknown[] = [
      undefined,
      null,
      'slow',
      { kind: 'request', name: 'GET /', durationMs: NaN },
      { kind: 'job', durationMs: 6000 },
      { kind: 'query', name: 'SELECT', durationMs: 6000 },
      { kind: 'request', name: 'GET /', durationMs: 2000, status: '500' },
      throwing,
    ];
    for (const input of garbage) {
      expect(a.recordSlow(input as never)).toBe(false);
    }
    expect(a.getSlowLogStats()).toMatchObject({ invalid: garbage.length, recorded: 0 });
    const warnings = lines.filter((l) => l.includes('recordSlow() ignored invalid input'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('expected an object');
  });

  it('writes through the agent’s transport connection, opening no other', async () => {
    const a = agent({ slowLog: { jobThresholdMs: 0 } });
    await a.start();
    a.recordSlow({ kind: 'job', name: 'j', durationMs: 1 });
    await eventually(async () => ((await length()) === 1 ? true : undefined));
    const clients = String(await redis.call('CLIENT', 'LIST'));
    expect(clients.match(/name=quasar:\S+/g)).toEqual(['name=quasar:transport']);
  });

  it("sends a backlog in a few pipelines, not a round trip per entry, through the app's client", async () => {
    const client = new Redis(url);
    const pipelines = jest.spyOn(client, 'pipeline');
    const a = agent({ transport: { client }, slowLog: { jobThresholdMs: 0 } });
    for (let i = 0; i < 600; i++) a.recordSlow({ kind: 'job', name: `job-${i}`, durationMs: 1 });
    await a.start();
    await a.stop();
    expect(await length()).toBe(600);
    expect(pipelines.mock.calls.length).toBeLessThanOrEqual(3);
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  it('keeps entries Redis refused, logs the failure once, and writes them once it can', async () => {
    const { lines, logger } = recordingLogger();
    await redis.set(QuasarKeys.slowLog('shop'), 'not a stream');
    const a = agent({ logger, slowLog: { jobThresholdMs: 0 } });
    await a.start();
    a.recordSlow({ kind: 'job', name: 'first', durationMs: 1 });
    await eventually(() => (lines.some((l) => l.includes('WRONGTYPE')) ? true : undefined));
    a.recordSlow({ kind: 'job', name: 'second', durationMs: 1 });
    expect(a.getSlowLogStats()).toMatchObject({ pending: 2, written: 0, dropped: 0 });
    await redis.del(QuasarKeys.slowLog('shop'));
    const stored = await eventually(async () => {
      const entries = await readSlowLog(redis, 'shop');
      return entries.length === 2 ? entries : undefined;
    });
    expect(stored.map((s) => s.entry.name)).toEqual(['first', 'second']);
    // The entries are in Redis as soon as the pipeline ran; the agent logs the resumption when
    // its reply arrives, which may be after this read of the stream.
    await eventually(() => (lines.some((l) => l.includes('slow log write resumed')) ? true : undefined));
    expect(lines.filter((l) => l.includes('slow log write failed'))).toHaveLength(1);
  });

  it('caps the stream with MAXLEN ~, within one macro node of maxLen', async () => {
    const a = agent({ slowLog: { jobThresholdMs: 0, maxLen: 10, bufferSize: 2000 } });
    await a.start();
    for (let i = 0; i < 1000; i++) a.recordSlow({ kind: 'job', name: `job-${i}`, durationMs: 1 });
    await a.stop();
    const config = (await redis.config('GET', 'stream-node-max-entries')) as string[];
    const nodeSize = Number(config[1]);
    const xlen = await length();
    expect(xlen).toBeGreaterThanOrEqual(10);
    expect(xlen).toBeLessThanOrEqual(10 + nodeSize);
    // Trimming keeps the newest.
    const stored = await readSlowLog(redis, 'shop');
    expect(stored.at(-1)?.entry.name).toBe('job-999');
  });
});
