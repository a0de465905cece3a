/**
 * QuasarAgent.instrumentHttpServer against a real `http.createServer` on port 0 and a real Redis.
 */
import Redis from 'ioredis';
import { createServer, get } from 'node:http';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QuasarAgent } from '../../src';
import type { QuasarOptions } from '../../src';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { readSlowLog, recordingLogger, silent } from './support';
import type { StoredSlowEntry } from './support';

describeWithRedis('QuasarAgent.instrumentHttpServer (real HTTP server, real Redis)', () => {
  let url: string;
  let redis: Redis;
  const cleanup: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    await redis.quit();
  });

  const agent = (options: QuasarOptions = {}) => {
    const a = new QuasarAgent({
      service: 'web',
      transport: { url },
      logger: silent,
      otel: { enabled: false },
      ...options,
    });
    cleanup.push(() => a.stop());
    return a;
  };

  const serve = async (handler: RequestListener): Promise<{ server: Server; base: string }> => {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };

  const entries = (count: number) =>
    eventually(
      async () => {
        const stored = await readSlowLog(redis, 'web');
        return stored.length >= count ? stored : undefined;
      },
      5000,
      `${count} slow entries`,
    );

  const ok = (res: ServerResponse, status = 200) => {
    res.statusCode = status;
    res.end('ok');
  };

  it('records slow requests and leaves fast ones out', async () => {
    // A threshold far above what a fast request takes, even on a loaded machine that stalls
    // the process for a while between a request and its response.
    const a = agent({ slowLog: { requestThresholdMs: 1000 } });
    await a.start();
    const { server, base } = await serve((req, res) => {
      if (req.url === '/slow') setTimeout(() => ok(res), 1100);
      else ok(res);
    });
    a.instrumentHttpServer(server);
    expect((await fetch(`${base}/fast`)).status).toBe(200);
    expect((await fetch(`${base}/slow`)).status).toBe(200);
    // Entries are written in order, so a recorded /fast would come first.
    const [slow, ...rest] = await entries(1);
    expect(rest).toEqual([]);
    expect(slow!.entry).toMatchObject({
      kind: 'request',
      name: 'GET /slow',
      method: 'GET',
      status: 200,
      thresholdMs: 1000,
    });
    expect(slow!.entry.durationMs).toBeGreaterThanOrEqual(1000);
    expect(slow!.entry.route).toBeUndefined();
    expect(a.getSlowLogStats().recorded).toBe(1);
  });

  it("counts the synchronous work of the application's own handler", async () => {
    const a = agent({ slowLog: { requestThresholdMs: 100 } });
    await a.start();
    // The handler is registered first (by createServer) and blocks before it answers.
    const { server, base } = await serve((_req, res) => {
      const until = performance.now() + 150;
      while (performance.now() < until) {
        // busy: CPU-bound work such as templating or parsing a large body
      }
      ok(res);
    });
    a.instrumentHttpServer(server);
    expect((await fetch(`${base}/render`)).status).toBe(200);
    const [entry] = await entries(1);
    expect(entry!.entry.name).toBe('GET /render');
    expect(entry!.entry.durationMs).toBeGreaterThanOrEqual(150);
  });

  it('names a request by its path without the query string, with ids collapsed to :id', async () => {
    const a = agent({ slowLog: { requestThresholdMs: 0 } });
    await a.start();
    const { server, base } = await serve((_req, res) => ok(res, 404));
    a.instrumentHttpServer(server);
    await fetch(`${base}/users/42/orders/3f2504e0-4f89-11d3-9a0c-0305e82c3301?token=secret`);
    const [stored] = await entries(1);
    expect(stored!.entry).toMatchObject({
      name: 'GET /users/:id/orders/:id',
      method: 'GET',
      status: 404,
    });
    expect(stored!.entry.route).toBeUndefined();
    expect(stored!.fields.join(' ')).not.toMatch(/secret|token|\?/);
  });

  it('uses the route the application gives, read once the response has finished', async () => {
    const a = agent({ slowLog: { requestThresholdMs: 0 } });
    await a.start();
    const routes = new WeakMap<IncomingMessage, string>();
    const { server, base } = await serve((req, res) => {
      // Set during handling, as a router would: routeOf must not be read earlier.
      if (req.url?.startsWith('/users/')) routes.set(req, '/users/:userId?ignored=1');
      ok(res, 201);
    });
    a.instrumentHttpServer(server, { routeOf: (req) => routes.get(req) });
    await fetch(`${base}/users/alice`, { method: 'POST' });
    await fetch(`${base}/about`);
    const stored = await entries(2);
    expect(stored.map((s: StoredSlowEntry) => s.entry)).toMatchObject([
      { name: 'POST /users/:userId', route: '/users/:userId', method: 'POST', status: 201 },
      { name: 'GET /about', method: 'GET', status: 201 },
    ]);
    expect(stored[1]!.entry.route).toBeUndefined();
  });

  it('records a request the client aborted, with status 499', async () => {
    const a = agent({ slowLog: { requestThresholdMs: 0 } });
    await a.start();
    let arrived: () => void = () => undefined;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    const { server, base } = await serve(() => arrived());
    a.instrumentHttpServer(server);
    const request = get(`${base}/hang?x=1`);
    request.on('error', () => undefined);
    await received;
    request.destroy();
    const [stored] = await entries(1);
    expect(stored!.entry).toMatchObject({ name: 'GET /hang', status: 499 });
  });

  it('falls back to the path when routeOf throws, logs it once and keeps serving', async () => {
    const { lines, logger } = recordingLogger();
    const a = agent({ logger, slowLog: { requestThresholdMs: 0 } });
    await a.start();
    const { server, base } = await serve((_req, res) => ok(res));
    a.instrumentHttpServer(server, {
      routeOf: () => {
        throw new Error('router exploded');
      },
    });
    expect((await fetch(`${base}/a/1`)).status).toBe(200);
    expect((await fetch(`${base}/a/2`)).status).toBe(200);
    const stored = await entries(2);
    expect(stored.map((s) => s.entry.name)).toEqual(['GET /a/:id', 'GET /a/:id']);
    expect(lines.filter((l) => l.includes('routeOf() threw'))).toHaveLength(1);
  });

  it('stops timing once detached, and a stale detacher is harmless', async () => {
    const a = agent({ slowLog: { requestThresholdMs: 0 } });
    await a.start();
    const { server, base } = await serve((_req, res) => ok(res));
    const listeners = server.listenerCount('request');
    const detach = a.instrumentHttpServer(server);
    expect(server.listenerCount('request')).toBe(listeners + 1);
    detach();
    detach();
    expect(server.listenerCount('request')).toBe(listeners);
    await fetch(`${base}/untimed`);
    a.instrumentHttpServer(server);
    detach();
    await fetch(`${base}/timed`);
    const stored = await entries(1);
    expect(stored.map((s) => s.entry.name)).toEqual(['GET /timed']);
    await a.stop();
    expect(server.listenerCount('request')).toBe(listeners);
  });

  it('times a server once however often it is instrumented, and stop() detaches it', async () => {
    const a = agent({ slowLog: { requestThresholdMs: 0 } });
    await a.start();
    const { server } = await serve((_req, res) => ok(res));
    const listeners = server.listenerCount('request');
    const first = a.instrumentHttpServer(server);
    expect(a.instrumentHttpServer(server)).toBe(first);
    expect(server.listenerCount('request')).toBe(listeners + 1);
    await a.stop();
    expect(server.listenerCount('request')).toBe(listeners);
  });

  it('rejects what is not a server, naming the argument', () => {
    const a = agent();
    expect(() => a.instrumentHttpServer({} as Server)).toThrow(/"server"/);
    const { server } = { server: createServer() };
    expect(() => a.instrumentHttpServer(server, { routeOf: 'x' as never })).toThrow(/"routeOf"/);
  });
});
