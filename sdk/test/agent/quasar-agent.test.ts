/**
 * QuasarAgent against a real redis-server started for the run (see testing/jest-global-setup).
 */
import Redis from 'ioredis';
import { hostname } from 'node:os';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QuasarAgent, QuasarConfigError } from '../../src';
import type { QuasarLogger } from '../../src';
import { QuasarKeys, parseHeartbeat } from '../../src/schema';
import type { Heartbeat } from '../../src/schema';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { freePort, hasRedisServer, startRedisServer } from '../../../testing/redis-server';

const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };

function recordingLogger() {
  const lines: string[] = [];
  const logger: QuasarLogger = {
    debug: (m) => lines.push(`debug ${m}`),
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  return { lines, logger };
}

async function readBeat(redis: Redis, key: string): Promise<Heartbeat | undefined> {
  const raw = await redis.get(key);
  if (!raw) return undefined;
  const parsed = parseHeartbeat(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describeWithRedis('QuasarAgent heartbeat (real Redis)', () => {
  let url: string;
  let redis: Redis;
  const agents: QuasarAgent[] = [];
  const agent = (options: ConstructorParameters<typeof QuasarAgent>[0]) => {
    const a = new QuasarAgent({ logger: silent, otel: { enabled: false }, ...options });
    agents.push(a);
    return a;
  };

  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await redis.quit();
  });

  it('writes the heartbeat at gravito:quasar:node:{service}:{nodeId} with a TTL of max(30 s, 3 intervals)', async () => {
    const a = agent({ service: 'api', name: 'web-1', interval: 15_000, transport: { url } });
    const started = await a.start();
    expect(started).toEqual({ nodeId: `web-1-${process.pid}`, connected: true });
    const key = QuasarKeys.node('api', `web-1-${process.pid}`);
    const beat = await readBeat(redis, key);
    expect(beat?.id).toBe(`web-1-${process.pid}`);
    expect(beat?.service).toBe('api');
    expect(beat?.hostname).toBe('web-1');
    expect(beat?.interval).toBe(15_000);
    expect(beat?.sdk?.name).toBe('@gravito/quasar');
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(40);
    expect(ttl).toBeLessThanOrEqual(45);
  });

  it('uses the hostname when no name is given, as the originals did', () => {
    const a = agent({ service: 'api', transport: { url } });
    expect(a.getNodeId()).toBe(`${hostname()}-${process.pid}`);
  });

  it('keeps the 30 s floor for short intervals', async () => {
    const a = agent({ service: 'api', interval: 200, transport: { url } });
    await a.start();
    // start() gives the first write 200 ms (the interval); a busy machine can make it land later.
    const ttl = await eventually(async () => {
      const t = await redis.ttl(QuasarKeys.node('api', a.getNodeId()));
      return t > 0 ? t : undefined;
    });
    expect(ttl).toBeGreaterThan(28);
    expect(ttl).toBeLessThanOrEqual(30);
  });

  it('writes a payload with every v1 field and the extensions, with sane values', async () => {
    const a = agent({ service: 'api', interval: 200, transport: { url } });
    await a.start();
    const key = QuasarKeys.node('api', a.getNodeId());
    // The second beat measures a real interval rather than the since-start average. start()
    // gives the first write 200 ms (the interval); a busy machine can make it land later.
    const first = (await eventually(() => readBeat(redis, key))).timestamp;
    const beat = await eventually(async () => {
      const b = await readBeat(redis, key);
      return b && b.timestamp > first ? b : undefined;
    });
    expect(beat.language).toBe('node');
    expect(beat.version).toBe(process.version);
    expect(beat.pid).toBe(process.pid);
    expect(beat.cpu.system).toBeGreaterThanOrEqual(0);
    expect(beat.cpu.system).toBeLessThanOrEqual(100);
    expect(beat.cpu.cores).toBeGreaterThanOrEqual(1);
    const mem = beat.memory.system;
    expect(mem.used).toBe(mem.total - (mem.available ?? NaN));
    expect(mem.free).toBe(mem.available);
    expect(beat.memory.process.rss).toBeGreaterThan(beat.memory.process.heapUsed);
    expect(beat.loadavg).toHaveLength(3);
    expect(beat.eventLoop?.p99).toBeGreaterThanOrEqual(0);
    expect(beat.eventLoop?.utilization).toBeGreaterThanOrEqual(0);
    expect(beat.eventLoop?.utilization).toBeLessThanOrEqual(1);
    expect(beat.runtime).toMatchObject({ framework: 'Quasar', status: 'online' });
    expect(beat.startedAt).toBeLessThanOrEqual(beat.timestamp);
    expect(beat.otel).toEqual({ selfExport: false });
    expect(Math.abs(beat.timestamp - Date.now())).toBeLessThan(5000);
  });

  it('updates the node index on every beat, scored by the beat time', async () => {
    const a = agent({ service: 'api', interval: 100, transport: { url } });
    await a.start();
    const key = QuasarKeys.node('api', a.getNodeId());
    const firstScore = Number(await redis.zscore(QuasarKeys.nodeIndex, key));
    const beat = await eventually(async () => {
      const b = await readBeat(redis, key);
      return b && b.timestamp > firstScore ? b : undefined;
    });
    const score = await eventually(async () => {
      const s = Number(await redis.zscore(QuasarKeys.nodeIndex, key));
      return s >= beat.timestamp ? s : undefined;
    });
    expect(score).toBeGreaterThan(firstScore);
  });

  it('deletes its key and index entry on stop(), and stop() is idempotent', async () => {
    const a = agent({ service: 'api', transport: { url } });
    await a.start();
    const key = QuasarKeys.node('api', a.getNodeId());
    expect(await redis.exists(key)).toBe(1);
    expect(await redis.zscore(QuasarKeys.nodeIndex, key)).not.toBeNull();
    await Promise.all([a.stop(), a.stop()]);
    await a.stop();
    expect(await redis.exists(key)).toBe(0);
    expect(await redis.zscore(QuasarKeys.nodeIndex, key)).toBeNull();
  });

  it('starts once however often start() is called', async () => {
    const a = agent({ service: 'api', transport: { url } });
    const [r1, r2] = await Promise.all([a.start(), a.start()]);
    expect(r1).toBe(r2);
    await a.start();
    const clients = String(await redis.call('CLIENT', 'LIST'));
    expect(clients.match(/name=quasar:transport /g)).toHaveLength(1);
  });

  it('stays stopped when start() is called after stop(): no connection, no beat', async () => {
    const a = agent({ service: 'late', transport: { url } });
    await a.stop();
    const result = await a.start();
    expect(result).toMatchObject({ connected: false, error: 'agent stopped' });
    const clients = String(await redis.call('CLIENT', 'LIST'));
    expect(clients).not.toMatch(/name=quasar:transport /);
    expect(await redis.exists(QuasarKeys.node('late', a.getNodeId()))).toBe(0);
  });

  it("uses the application's client and leaves it open on stop()", async () => {
    const client = new Redis(url);
    const a = agent({ service: 'api', transport: { client } });
    await a.start();
    expect(await redis.exists(QuasarKeys.node('api', a.getNodeId()))).toBe(1);
    const listeners = client.listenerCount('error');
    await a.stop();
    expect(client.listenerCount('error')).toBe(listeners - 1);
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  it('still beats when a reading fails, and says which', async () => {
    const a = agent({
      service: 'api',
      transport: { url },
      probe: {
        getMetrics() {
          throw new Error('probe exploded');
        },
      },
    });
    await a.start();
    const beat = await readBeat(redis, QuasarKeys.node('api', a.getNodeId()));
    expect(beat?.runtime.status).toBe('degraded');
    expect(beat?.runtime.errors).toContain('reading_failed:probe');
    expect(beat?.cpu.cores).toBeGreaterThanOrEqual(1);
  });

  it('still beats when /proc holds garbage, falling back to the os module', async () => {
    const root = mkdtempSync(join(tmpdir(), 'quasar-badroot-'));
    mkdirSync(join(root, 'proc', 'self'), { recursive: true });
    writeFileSync(join(root, 'proc', 'stat'), 'garbage\n');
    writeFileSync(join(root, 'proc', 'meminfo'), 'nonsense\n');
    writeFileSync(join(root, 'proc', 'self', 'cgroup'), '::::\n');
    const a = agent({ service: 'api', transport: { url }, hostRoot: root });
    await a.start();
    const beat = await readBeat(redis, QuasarKeys.node('api', a.getNodeId()));
    expect(beat?.memory.system.total).toBeGreaterThan(0);
    expect(beat?.runtime.status).toBe('online');
  });

  it('applies a 1.0-style custom probe', async () => {
    const a = agent({
      service: 'api',
      transport: { url },
      probe: {
        getMetrics: () =>
          Promise.resolve({
            cpu: { system: 42, process: 7, cores: 16 },
            memory: {
              system: { total: 1000, free: 250, used: 750 },
              process: { rss: 10, heapTotal: 9, heapUsed: 8 },
            },
            language: 'bun',
            version: '1.1.38',
            pid: 1,
            hostname: 'ignored',
            platform: 'linux',
            uptime: 99,
          }),
      },
    });
    await a.start();
    const beat = await readBeat(redis, QuasarKeys.node('api', a.getNodeId()));
    expect(beat?.cpu).toEqual({ system: 42, process: 7, cores: 16 });
    expect(beat?.memory.system).toEqual({ total: 1000, free: 250, used: 750, available: 250 });
    expect(beat?.language).toBe('bun');
    expect(beat?.runtime.uptime).toBe(99);
  });

  it('throws QuasarConfigError naming the option from the constructor', () => {
    expect(() => new QuasarAgent({ service: 'api', interval: -1 })).toThrow(QuasarConfigError);
    expect(() => new QuasarAgent({ service: 'api', interval: -1 })).toThrow(/"interval"/);
  });
});

describeWithRedis('QuasarAgent connections (real Redis)', () => {
  it('keeps the password and database from the URL', async () => {
    const server = await startRedisServer({ password: 'p@ss word' });
    const url = server.urlFor(5);
    const agent = new QuasarAgent({
      service: 'secure',
      transport: { url },
      logger: silent,
      otel: { enabled: false },
    });
    try {
      expect((await agent.start()).connected).toBe(true);
      const check = new Redis(url);
      expect(await check.exists(QuasarKeys.node('secure', agent.getNodeId()))).toBe(1);
      await check.select(0);
      expect(await check.exists(QuasarKeys.node('secure', agent.getNodeId()))).toBe(0);
      await check.quit();
    } finally {
      await agent.stop();
      await server.stop();
    }
  });

  it('keeps the application running when Redis is down at start, and beats once it is up', async () => {
    const port = await freePort();
    const { lines, logger } = recordingLogger();
    const agent = new QuasarAgent({
      service: 'late',
      interval: 100,
      transport: { url: `redis://127.0.0.1:${port}/0` },
      logger,
      otel: { enabled: false },
    });
    const result = await agent.start();
    expect(result.connected).toBe(false);
    expect(result.error).toMatch(/ECONNREFUSED/);
    expect(lines.some((l) => l.startsWith('warn') && l.includes('ECONNREFUSED'))).toBe(true);
    const server = await startRedisServer({ port });
    try {
      const check = new Redis(server.url);
      await eventually(
        async () =>
          (await check.exists(QuasarKeys.node('late', agent.getNodeId()))) ? true : undefined,
        10_000,
        'first beat after Redis came up',
      );
      await check.quit();
      // The beat is in Redis before its reply reaches the agent, which then logs the recovery.
      await eventually(() => (lines.some((l) => l.includes('resumed')) ? true : undefined));
    } finally {
      await agent.stop();
      await server.stop();
    }
  });

  it('survives Redis going away, resumes after it returns, and builds no backlog of stale beats', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let server = await startRedisServer();
    const port = server.port;
    // Beats far enough apart that the check below, made once the first beat after the outage
    // is seen, cannot also count the regular beats a busy machine lets go by meanwhile.
    const agent = new QuasarAgent({
      service: 'flaky',
      interval: 500,
      transport: { url: server.url },
      logger: silent,
      otel: { enabled: false },
    });
    try {
      expect((await agent.start()).connected).toBe(true);
      await server.stop();
      // Beats keep being attempted while Redis is away: 10 intervals' worth.
      const before = agent.getLastHeartbeat()!.timestamp;
      await eventually(
        () => (agent.getLastHeartbeat()!.timestamp > before + 5000 ? true : undefined),
        15_000,
        'beats during the outage',
      );
      server = await startRedisServer({ port });
      const check = new Redis(server.url);
      const key = QuasarKeys.node('flaky', agent.getNodeId());
      await eventually(
        async () => ((await check.exists(key)) ? true : undefined),
        20_000,
        'beats to resume',
      );
      const stats = await check.info('commandstats');
      const sets = Number(/cmdstat_set:calls=(\d+)/.exec(stats)?.[1]);
      // A replayed backlog would deliver the ~10 beats taken during the outage at once.
      expect(sets).toBeLessThanOrEqual(2);
      await check.quit();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await agent.stop();
      await server.stop();
    }
  }, 60_000);
});

if (!hasRedisServer()) {
  process.stderr.write('quasar-agent.test.ts: redis-server missing, Redis suites SKIPPED\n');
}
