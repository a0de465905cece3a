/**
 * `monitorQueue()`, `monitorCheck()` and the `application` option through a real agent: what
 * reaches the heartbeat and the service's queue hash in a real Redis.
 */
import Redis from 'ioredis';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QuasarAgent, QuasarConfigError } from '../../src';
import type { QuasarLogger } from '../../src';
import { QuasarKeys, parseHeartbeat, parseQueueSnapshot } from '../../src/schema';
import type { Heartbeat } from '../../src/schema';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';

const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };

describeWithRedis('QuasarAgent queue snapshots and checks (real Redis)', () => {
  let transportUrl: string;
  let monitorUrl: string;
  let transport: Redis;
  let app: Redis;
  const agents: QuasarAgent[] = [];
  const agent = (options: ConstructorParameters<typeof QuasarAgent>[0]) => {
    const a = new QuasarAgent({
      logger: silent,
      otel: { enabled: false },
      transport: { url: transportUrl },
      monitor: { url: monitorUrl },
      ...options,
    });
    agents.push(a);
    return a;
  };
  const beatOf = async (a: QuasarAgent, service: string): Promise<Heartbeat | undefined> => {
    const raw = await transport.get(QuasarKeys.node(service, a.getNodeId()));
    if (!raw) return undefined;
    const parsed = parseHeartbeat(raw);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.value;
  };

  beforeEach(async () => {
    transportUrl = await claimDatabase();
    monitorUrl = await claimDatabase();
    transport = new Redis(transportUrl);
    app = new Redis(monitorUrl);
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await Promise.all([transport.quit(), app.quit()]);
  });

  it('reads queues from the monitor Redis into the heartbeat and the service queue hash', async () => {
    await app.rpush('emails', 'a', 'b', 'c');
    const a = agent({ service: 'shop', interval: 1000 });
    a.monitorQueue('emails');
    await a.start();
    // A queue read has half an interval; on a busy machine the first one (a new monitor
    // connection) can miss it, and the next beat's read is the one that counts.
    const beat = await eventually(
      async () => {
        const b = await beatOf(a, 'shop');
        return b?.queues?.[0] && b.queues[0].error === undefined ? b : undefined;
      },
      15_000,
      'a beat whose queue read completed',
    );
    expect(beat?.queues).toEqual([
      expect.objectContaining({
        name: 'emails',
        driver: 'redis',
        size: { waiting: 3, active: 0, failed: 0, delayed: 0 },
      }),
    ]);
    const field = await transport.hget(QuasarKeys.queues('shop'), 'emails');
    const parsed = parseQueueSnapshot(field);
    expect(parsed.ok && parsed.value.size.waiting).toBe(3);
    expect(parsed.ok && parsed.value.observedAt).toBeGreaterThan(Date.now() - 60_000);
    const ttl = await transport.ttl(QuasarKeys.queues('shop'));
    expect(ttl).toBeGreaterThan(25);
    expect(ttl).toBeLessThanOrEqual(30);
    // The transport Redis has no `emails` list: the count came from the monitor connection.
    expect(await transport.exists('emails')).toBe(0);
  });

  it('follows the queue as it changes, beat after beat', async () => {
    const a = agent({ service: 'shop', interval: 200 });
    a.monitorQueue('emails', 'redis');
    await a.start();
    await app.rpush('emails', '1', '2', '3', '4', '5');
    await eventually(async () => {
      const q = (await beatOf(a, 'shop'))?.queues?.[0];
      return q?.size.waiting === 5 ? q : undefined;
    });
  });

  it('reports a failing queue on that queue only, and the beat still goes out', async () => {
    await app.set('broken', 'a string, not a list');
    await app.rpush('fine', 'x');
    const a = agent({ service: 'shop', interval: 1000 });
    a.monitorQueue('broken', 'redis');
    a.monitorQueue('fine', 'redis');
    await a.start();
    // As above, a read that missed its deadline on a busy machine is retried by the next beat.
    const beat = await eventually(
      async () => {
        const b = await beatOf(a, 'shop');
        return b?.queues?.find((q) => q.name === 'fine')?.error === undefined &&
          /WRONGTYPE/.test(b?.queues?.find((q) => q.name === 'broken')?.error ?? '')
          ? b
          : undefined;
      },
      15_000,
      'a beat whose queue reads completed',
    );
    const byName = new Map(beat?.queues?.map((q) => [q.name, q]));
    expect(byName.get('broken')?.error).toMatch(/WRONGTYPE/);
    expect(byName.get('fine')?.size.waiting).toBe(1);
    expect(byName.get('fine')?.error).toBeUndefined();
    expect(beat?.runtime.status).toBe('online');
  });

  it('reads the queues through the transport connection when no monitor is configured', async () => {
    await transport.rpush('jobs', 'a', 'b');
    const a = new QuasarAgent({
      logger: silent,
      otel: { enabled: false },
      service: 'solo',
      transport: { url: transportUrl },
    });
    agents.push(a);
    a.monitorQueue('jobs');
    await a.start();
    expect((await beatOf(a, 'solo'))?.queues?.[0]?.size.waiting).toBe(2);
  });

  it('accepts queues registered after start()', async () => {
    await app.rpush('late', 'a');
    const a = agent({ service: 'shop', interval: 200 });
    await a.start();
    expect((await beatOf(a, 'shop'))?.queues).toBeUndefined();
    a.monitorQueue('late');
    await eventually(async () => (await beatOf(a, 'shop'))?.queues?.[0]?.size.waiting);
  });

  it('removes its queue fields and its heartbeat on stop()', async () => {
    await app.rpush('emails', 'a');
    const a = agent({ service: 'shop' });
    a.monitorQueue('emails');
    await a.start();
    expect(await transport.hexists(QuasarKeys.queues('shop'), 'emails')).toBe(1);
    await a.stop();
    expect(await transport.hexists(QuasarKeys.queues('shop'), 'emails')).toBe(0);
    expect(await transport.exists(QuasarKeys.node('shop', a.getNodeId()))).toBe(0);
  });

  it('throws QuasarConfigError naming the unknown type or option', () => {
    const a = agent({ service: 'shop' });
    expect(() => a.monitorQueue('emails', 'kafka')).toThrow(QuasarConfigError);
    expect(() => a.monitorQueue('emails', 'kafka')).toThrow(/unknown type "kafka"/);
    expect(() => a.monitorQueue('emails', 'bullmq', { prefx: 'bull' })).toThrow(/"prefx"/);
  });

  it('reports the watched application and its meta, as a sidecar does', async () => {
    const a = agent({
      service: 'legacy',
      application: { language: 'php', version: '8.3.4', meta: () => ({ sidecar: true }) },
    });
    await a.start();
    const beat = await beatOf(a, 'legacy');
    expect(beat?.language).toBe('php');
    expect(beat?.version).toBe('8.3.4');
    expect(beat?.meta).toEqual({ sidecar: true });
  });

  it('sends the beat without meta, degraded, when the meta callback throws', async () => {
    const a = agent({
      service: 'legacy',
      application: {
        meta: () => {
          throw new Error('boom');
        },
      },
    });
    await a.start();
    const beat = await beatOf(a, 'legacy');
    expect(beat?.meta).toBeUndefined();
    expect(beat?.runtime.status).toBe('degraded');
    expect(beat?.runtime.errors).toContain('reading_failed:meta');
  });

  it('names the invalid application option', () => {
    expect(() => agent({ service: 'x', application: { language: '' } })).toThrow(
      /"application.language"/,
    );
    expect(() =>
      agent({ service: 'x', application: { meta: 'no' as unknown as () => never } }),
    ).toThrow(/"application.meta"/);
  });

  it('carries the latest result of each availability check in the heartbeat', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const a = agent({ service: 'shop', interval: 200 });
      a.monitorCheck('health', { type: 'http', url: `http://127.0.0.1:${port}/health` });
      a.monitorCheck('closed', { type: 'tcp', host: '127.0.0.1', port: 1 });
      await a.start();
      const checks = await eventually(async () => {
        const c = (await beatOf(a, 'shop'))?.checks;
        return c && c.length === 2 ? c : undefined;
      });
      const byName = new Map(checks.map((c) => [c.name, c]));
      expect(byName.get('health')).toMatchObject({ type: 'http', up: true, status: 200 });
      expect(byName.get('closed')).toMatchObject({ type: 'tcp', up: false, target: '127.0.0.1:1' });
    } finally {
      server.close();
    }
  });
});
