/**
 * The slow log across Redis outages, against private redis-servers that the tests kill and
 * restart on the same port.
 */
import Redis from 'ioredis';
import { QuasarAgent } from '../../src';
import type { QuasarOptions } from '../../src';
import { QuasarKeys } from '../../src/schema';
import { describeWithRedis, eventually } from '../../../testing/redis';
import { freePort, startRedisServer } from '../../../testing/redis-server';
import type { RedisServer } from '../../../testing/redis-server';
import { idTime, readSlowLog, recordingLogger, silent } from './support';

/** Waits for the clock to move on, so consecutive entries get distinct timestamps. */
const nextMillisecond = (after: number) =>
  eventually(() => (Date.now() > after ? true : undefined));

describeWithRedis('the slow log during a Redis outage', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  const agentOn = (port: number, options: QuasarOptions = {}) => {
    const agent = new QuasarAgent({
      service: 'flaky',
      transport: { url: `redis://127.0.0.1:${port}/0` },
      logger: silent,
      otel: { enabled: false },
      ...options,
      slowLog: { jobThresholdMs: 0, ...options.slowLog },
    });
    cleanup.push(() => agent.stop());
    return agent;
  };
  const serverOn = async (port?: number) => {
    const server = await startRedisServer(port === undefined ? {} : { port });
    cleanup.push(() => server.stop());
    return server;
  };
  const check = (server: RedisServer) => {
    const client = new Redis(server.url);
    cleanup.push(async () => void (await client.quit()));
    return client;
  };

  it('keeps entries while Redis is down and writes them in order, with their original timestamps, once it is back', async () => {
    const first = await serverOn();
    const agent = agentOn(first.port);
    expect((await agent.start()).connected).toBe(true);
    await first.stop();

    const recordedAt: Array<[number, number]> = [];
    for (let i = 0; i < 5; i++) {
      const before = Date.now();
      expect(agent.recordSlow({ kind: 'job', name: `job-${i}`, durationMs: i })).toBe(true);
      recordedAt.push([before, Date.now()]);
      await nextMillisecond(Date.now());
    }
    expect(agent.getSlowLogStats()).toMatchObject({ recorded: 5, pending: 5, written: 0 });

    const restartedAt = Date.now();
    const second = await serverOn(first.port);
    const redis = check(second);
    const stored = await eventually(
      async () => {
        const entries = await readSlowLog(redis, 'flaky');
        return entries.length === 5 ? entries : undefined;
      },
      15_000,
      'the buffered entries after Redis came back',
    );
    expect(stored.map((s) => s.entry.name)).toEqual(['job-0', 'job-1', 'job-2', 'job-3', 'job-4']);
    stored.forEach(({ id, entry }, i) => {
      const [before, after] = recordedAt[i]!;
      expect(entry.timestamp).toBeGreaterThanOrEqual(before);
      expect(entry.timestamp).toBeLessThanOrEqual(after);
      // Redis took it after the restart; the entry still says when it happened.
      expect(idTime(id)).toBeGreaterThanOrEqual(restartedAt);
    });
    // The entries are in Redis before the pipeline's reply reaches the agent, which then counts
    // them written.
    await eventually(
      () => (agent.getSlowLogStats().written === 5 ? true : undefined),
      5000,
      'the agent to count the entries written',
    );
    expect(agent.getSlowLogStats()).toEqual({
      recorded: 5,
      written: 5,
      dropped: 0,
      pending: 0,
      invalid: 0,
    });
  });

  it('drops the oldest entries when the buffer is full, counts them, and logs the overflow once', async () => {
    const port = await freePort();
    const { lines, logger } = recordingLogger();
    const agent = agentOn(port, { logger, slowLog: { bufferSize: 3 } });
    expect((await agent.start()).connected).toBe(false);
    for (let i = 0; i < 10; i++) agent.recordSlow({ kind: 'job', name: `job-${i}`, durationMs: 1 });
    expect(agent.getSlowLogStats()).toMatchObject({ recorded: 10, dropped: 7, pending: 3 });
    expect(lines.filter((l) => l.includes('buffer is full'))).toHaveLength(1);

    const server = await serverOn(port);
    const redis = check(server);
    const stored = await eventually(
      async () => {
        const entries = await readSlowLog(redis, 'flaky');
        return entries.length === 3 ? entries : undefined;
      },
      15_000,
      'the newest entries after Redis came up',
    );
    expect(stored.map((s) => s.entry.name)).toEqual(['job-7', 'job-8', 'job-9']);
    // The entries are in Redis before the pipeline's reply reaches the agent, which then counts
    // them written and logs the end of the overflow.
    await eventually(() =>
      lines.some((l) => l.startsWith('info') && l.includes('7 entries were dropped'))
        ? true
        : undefined,
    );
    expect(agent.getSlowLogStats()).toMatchObject({ written: 3, dropped: 7, pending: 0 });
  });

  it('does not hang stop() while Redis is away, and counts what could not be written', async () => {
    const port = await freePort();
    const { lines, logger } = recordingLogger();
    const agent = agentOn(port, { logger });
    await agent.start();
    agent.recordSlow({ kind: 'job', name: 'lost-1', durationMs: 1 });
    agent.recordSlow({ kind: 'job', name: 'lost-2', durationMs: 1 });
    const startedStopping = Date.now();
    await agent.stop();
    expect(Date.now() - startedStopping).toBeLessThan(3000);
    expect(agent.getSlowLogStats()).toMatchObject({ recorded: 2, dropped: 2, pending: 0 });
    expect(lines.some((l) => l.includes('2 entries were not written before stop'))).toBe(true);
  });

  it('never writes to a key other than the service’s stream', async () => {
    const server = await serverOn();
    const agent = agentOn(server.port, { slowLog: { requestThresholdMs: 0 } });
    await agent.start();
    agent.recordSlow({ kind: 'request', name: 'GET /', durationMs: 1 });
    await agent.stop();
    const redis = check(server);
    expect(await redis.keys('*')).toEqual([QuasarKeys.slowLog('flaky')]);
  });
});
