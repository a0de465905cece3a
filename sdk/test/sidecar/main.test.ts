/**
 * `runSidecar()` in-process: exit statuses, the one-line errors, and a whole run against a real
 * Redis with the stop signal delivered by the test.
 */
import Redis from 'ioredis';
import { QuasarKeys, parseHeartbeat } from '../../src/schema';
import { runSidecar } from '../../src/sidecar/main';
import { SDK_VERSION } from '../../src/version';
import { createRedisClient } from '../../src/redis/redis-client';
import type { RedisClient } from '../../src/redis/redis-client';
import {
  claimDatabase,
  describeWithRedis,
  describeWithRedisCluster,
  eventually,
  testClusterUrl,
  uniqueName,
} from '../../../testing/redis';
import { recordingIO, stopLeftRunning } from './support';

afterEach(stopLeftRunning);

describe('runSidecar without Redis', () => {
  it('prints the help on stdout and returns 0', async () => {
    const rec = recordingIO();
    await expect(runSidecar(['--help'], {}, rec.io)).resolves.toBe(0);
    expect(rec.stdout()).toMatch(/^Usage: quasar-agent \[options\]/);
    expect(rec.stderr()).toBe('');
  });

  it('prints the version and returns 0', async () => {
    const rec = recordingIO();
    await expect(runSidecar(['-V'], {}, rec.io)).resolves.toBe(0);
    expect(rec.stdout()).toBe(`quasar-agent ${SDK_VERSION}\n`);
  });

  it('returns 2 with one line on stderr for a bad variable', async () => {
    const rec = recordingIO();
    await expect(
      runSidecar([], { QUASAR_SERVICE: 's', QUASAR_INTERVAL: '-1' }, rec.io),
    ).resolves.toBe(2);
    expect(rec.stderr()).toBe(
      'quasar-agent: QUASAR_INTERVAL: expected a number of seconds ≥ 0.1, got "-1" (set by --interval, QUASAR_INTERVAL or "interval" in the config file)\n',
    );
    expect(rec.subscribers()).toBe(0);
  });

  it('maps a queue option the agent rejects back to the queues setting and its source', async () => {
    const rec = recordingIO({
      '/etc/quasar-agent.json': JSON.stringify({
        service: 's',
        queues: [{ name: 'mail', type: 'bullmq', options: { prefx: 'bull' } }],
      }),
    });
    await expect(runSidecar(['--config', '/etc/quasar-agent.json'], {}, rec.io)).resolves.toBe(2);
    const lines = rec.stderr().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^quasar-agent: "queues" in \/etc\/quasar-agent\.json: monitorQueue\("mail", "bullmq"\).*prefx.*\(set by --queue, QUASAR_QUEUES or "queues" in the config file\)$/,
    );
  });

  it('maps a check option the agent rejects back to QUASAR_CHECKS', async () => {
    const rec = recordingIO();
    const checks = JSON.stringify([{ name: 'db', type: 'tcp', host: 'localhost', port: 'x' }]);
    await expect(
      runSidecar([], { QUASAR_SERVICE: 's', QUASAR_CHECKS: checks }, rec.io),
    ).resolves.toBe(2);
    expect(rec.stderr()).toMatch(
      /^quasar-agent: QUASAR_CHECKS: monitorCheck\("db"\): option "port"/,
    );
  });
});

describeWithRedis('runSidecar with a real Redis', () => {
  let url: string;
  let redis: Redis;
  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });
  afterEach(async () => {
    await redis.quit();
  });

  it('beats as the application, and removes its heartbeat and returns 0 on SIGTERM', async () => {
    await redis.rpush('laravel_database_queues:default', '{"uuid":"1"}', '{"uuid":"2"}');
    const rec = recordingIO();
    const run = runSidecar(
      [
        '--service=shop',
        '--name=side-1',
        `--transport=${url}`,
        '--interval=0.2',
        '--queue=default',
        '--laravel-prefix=laravel_database_',
        '--language=php',
        '--language-version=8.3',
        '--no-laravel-workers',
      ],
      {},
      rec.io,
    );
    const nodeId = `side-1-${process.pid}`;
    const key = QuasarKeys.node('shop', nodeId);
    // A queue read has half an interval (100 ms): on a busy machine a beat's read can miss it,
    // and a later beat's is the one that counts.
    const beat = await eventually(
      async () => {
        const raw = await redis.get(key);
        const parsed = raw ? parseHeartbeat(raw) : undefined;
        const ok = parsed?.ok && parsed.value.queues?.[0]?.error === undefined;
        return ok ? parsed.value : undefined;
      },
      15_000,
      'a heartbeat with a queue read',
    );
    expect(beat).toMatchObject({ language: 'php', version: '8.3', meta: { sidecar: true } });
    expect(beat.meta).not.toHaveProperty('laravel');
    expect(beat.queues).toEqual([
      expect.objectContaining({
        name: 'default',
        driver: 'laravel',
        size: expect.objectContaining({ waiting: 2 }),
      }),
    ]);
    await eventually(
      () => (/started/.test(rec.stderr()) ? true : undefined),
      5000,
      'the start line',
    );

    rec.signal('SIGTERM');
    await expect(run).resolves.toBe(0);
    expect(await redis.exists(key)).toBe(0);
    expect(rec.subscribers()).toBe(0);
    const lines = rec.stderr().trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^\\S+ info node ${nodeId} of service shop started: heartbeat every 0\\.2s to redis://`,
      ),
    );
    expect(lines.at(-1)).toMatch(new RegExp(`info stopped; heartbeat of ${nodeId} removed$`));
  });
});

describeWithRedisCluster('runSidecar on a Redis Cluster', () => {
  let redis: RedisClient;
  beforeAll(async () => {
    redis = createRedisClient(testClusterUrl() as string, { lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('beats in the v2 layout on a redis+cluster:// transport, reading a Laravel queue key by key', async () => {
    const service = uniqueName('side-cl');
    const queue = uniqueName('default');
    await redis.rpush(`queues:${queue}`, '{"uuid":"1"}', '{"uuid":"2"}');
    await redis.zadd(`queues:${queue}:delayed`, 1, '{"uuid":"3"}');
    const rec = recordingIO();
    const run = runSidecar(
      [
        `--service=${service}`,
        '--name=side-1',
        '--interval=0.5',
        `--queue=${queue}:laravel`,
        '--no-laravel-workers',
      ],
      { QUASAR_TRANSPORT_REDIS_URL: testClusterUrl() },
      rec.io,
    );
    const key = QuasarKeys.v2.node(service, `side-1-${process.pid}`);
    const beat = await eventually(
      async () => {
        const raw = await redis.get(key);
        const parsed = raw ? parseHeartbeat(raw) : undefined;
        const ok = parsed?.ok && parsed.value.queues?.[0]?.error === undefined;
        return ok ? parsed.value : undefined;
      },
      15_000,
      'a heartbeat with a queue read',
    );
    expect(beat.keyLayout).toBe('v2');
    expect(beat.queues?.[0]?.size).toMatchObject({ waiting: 2, delayed: 1 });
    // The announcement goes out with the first beat, to another slot's node: it may land after.
    await eventually(
      async () => ((await redis.zscore(QuasarKeys.services, service)) !== null ? true : undefined),
      10_000,
      'the service announced',
    );
    // The started line follows start()'s end, which may come after the first beat is stored.
    await eventually(
      () =>
        /started: heartbeat every 0\.5s to redis\+cluster:\/\//.test(rec.stderr())
          ? true
          : undefined,
      10_000,
      'the started line',
    );

    rec.signal('SIGTERM');
    await expect(run).resolves.toBe(0);
    expect(await redis.exists(key)).toBe(0);
    await redis.del(`queues:${queue}`);
    await redis.del(`queues:${queue}:delayed`);
  });

  it('refuses a --key-layout other than v1 or v2, naming the flag', async () => {
    const rec = recordingIO();
    const code = await runSidecar(
      ['--service=s', '--key-layout=v3', `--transport=${testClusterUrl() as string}`],
      {},
      rec.io,
    );
    expect(code).toBe(2);
    expect(rec.stderr()).toMatch(/^quasar-agent: --key-layout: expected v1 or v2, got "v3"/);
  });
});
