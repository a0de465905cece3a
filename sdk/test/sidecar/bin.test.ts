/**
 * The built `quasar-agent` bin as a separate process, configured by environment variables only,
 * against a real Redis holding a Laravel queue and beside a live Laravel-like worker process.
 * Relies on `sdk/dist` being built (`npm test` runs the build first).
 */
import Redis from 'ioredis';
import { existsSync } from 'node:fs';
import { QuasarKeys, parseHeartbeat } from '../../src/schema';
import type { Heartbeat } from '../../src/schema';
import { SETTING_LIST } from '../../src/sidecar/settings';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { BIN, spawnBin, spawnFakePhpWorker } from './support';
import type { Child, FakeWorker } from './support';

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build -w sdk\` first`);
});

describe('quasar-agent bin', () => {
  it('prints help listing every environment variable and exits 0', async () => {
    const run = spawnBin(['--help']);
    const { code } = await run.exited;
    expect(code).toBe(0);
    for (const name of SETTING_LIST.flatMap((s) => s.env ?? [])) {
      expect({ name, listed: run.output().includes(name) }).toEqual({ name, listed: true });
    }
  });

  it('exits 2 with one line naming QUASAR_INTERVAL when it is not a number', async () => {
    const run = spawnBin([], { QUASAR_SERVICE: 'shop', QUASAR_INTERVAL: 'soon' });
    const { code } = await run.exited;
    expect(code).toBe(2);
    const lines = run.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^quasar-agent: QUASAR_INTERVAL: .*"soon".*--interval/);
  });
});

describeWithRedis('quasar-agent bin with a real Redis', () => {
  let url: string;
  let redis: Redis;
  let agent: Child | undefined;
  let worker: FakeWorker | undefined;

  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });
  afterEach(async () => {
    if (agent && agent.child.exitCode === null && agent.child.signalCode === null) {
      agent.child.kill('SIGKILL');
      await agent.exited;
    }
    await worker?.stop();
    agent = undefined;
    worker = undefined;
    await redis.quit();
  });

  it('reports a Laravel queue and workers as a php node, and removes its heartbeat on SIGTERM', async () => {
    const now = Math.floor(Date.now() / 1000);
    await redis.rpush(
      'laravel_database_queues:default',
      ...[1, 2, 3].map((n) =>
        JSON.stringify({ uuid: `job-${n}`, displayName: 'App\\Jobs\\Ship', attempts: 0 }),
      ),
    );
    await redis.zadd(
      'laravel_database_queues:default:delayed',
      now + 60,
      '{"uuid":"d1"}',
      now + 120,
      '{"uuid":"d2"}',
    );
    await redis.zadd('laravel_database_queues:default:reserved', now + 90, '{"uuid":"r1"}');
    const fake = spawnFakePhpWorker();
    worker = fake;

    const run = spawnBin([], {
      QUASAR_SERVICE: 'shop',
      QUASAR_NAME: 'sidecar-e2e',
      QUASAR_TRANSPORT_REDIS_URL: url,
      QUASAR_MONITOR_REDIS_URL: url,
      QUASAR_INTERVAL: '1',
      QUASAR_QUEUES: 'default:laravel:laravel_database_queues',
      QUASAR_LANGUAGE: 'php',
      QUASAR_LANGUAGE_VERSION: '8.3',
    });
    agent = run;
    const nodeId = `sidecar-e2e-${run.child.pid}`;
    const key = QuasarKeys.node('shop', nodeId);

    // The first beat may predate the worker's exec; wait for one that sees it. A queue read
    // has half an interval: on a busy machine a beat's read can miss it, and a later one counts.
    const beat = await eventually(
      async () => {
        const raw = await redis.get(key);
        const parsed = raw ? parseHeartbeat(raw) : undefined;
        const value: Heartbeat | undefined = parsed?.ok ? parsed.value : undefined;
        const laravel = value?.meta?.laravel as { workers?: Array<{ pid: number }> } | undefined;
        const read = value?.queues?.find((q) => q.name === 'default')?.error === undefined;
        return read && laravel?.workers?.some((w) => w.pid === fake.pid) ? value : undefined;
      },
      30_000,
      `a heartbeat at ${key} listing the worker`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; quasar-agent said: ${run.output()}`);
    });

    expect(beat).toMatchObject({ id: nodeId, service: 'shop', language: 'php', version: '8.3' });
    expect(beat.meta?.sidecar).toBe(true);
    expect(beat.meta?.laravel).toMatchObject({
      workerCount: expect.any(Number),
      roots: expect.arrayContaining([fake.appDir]),
    });
    const queue = beat.queues?.find((q) => q.name === 'default');
    expect(queue).toMatchObject({
      name: 'default',
      driver: 'laravel',
      size: { waiting: 3, active: 1, failed: 0, delayed: 2 },
    });
    expect(await redis.hexists(QuasarKeys.queues('shop'), 'default')).toBe(1);
    // The log line may reach the pipe after the beat reaches Redis.
    await eventually(
      () =>
        Promise.resolve(
          run.output().includes(`node ${nodeId} of service shop started`) ? true : undefined,
        ),
      10_000,
      'the start line',
    );

    run.child.kill('SIGTERM');
    const exit = await run.exited;
    expect({ ...exit, output: exit.code === 0 ? '' : run.output() }).toEqual({
      code: 0,
      signal: null,
      output: '',
    });
    expect(await redis.exists(key)).toBe(0);
    expect(await redis.zscore(QuasarKeys.nodeIndex, key)).toBeNull();
  }, 60_000);
});
