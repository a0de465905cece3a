/**
 * demo-api: an HTTP API with a few slow routes, timed by the SDK (slow requests go to the slow
 * log). It calls itself once a second so there is traffic, and closes its port for a few seconds
 * every minute (`DEMO_OUTAGE_EVERY_MS`, `DEMO_OUTAGE_MS`), so the sidecar's availability check
 * against `/health` turns red and back.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { env, envInt } from '../shared/env';
import { between, demoAgent, onShutdown, sleep } from '../shared/service';

const PORT = envInt('PORT', 4000);
const OUTAGE_EVERY_MS = envInt('DEMO_OUTAGE_EVERY_MS', 60_000);
const OUTAGE_MS = envInt('DEMO_OUTAGE_MS', 8_000);

/** Each route: its template, and how long it takes. */
const ROUTES: Array<{ method: string; pattern: RegExp; route: string; latency: () => number }> = [
  { method: 'GET', pattern: /^\/health$/, route: '/health', latency: () => 0 },
  { method: 'GET', pattern: /^\/orders$/, route: '/orders', latency: () => between(20, 80) },
  {
    method: 'GET',
    pattern: /^\/orders\/\d+$/,
    route: '/orders/:id',
    latency: () => (Math.random() < 0.2 ? between(1200, 2500) : between(30, 90)),
  },
  {
    method: 'GET',
    pattern: /^\/reports\/monthly$/,
    route: '/reports/monthly',
    latency: () => between(1500, 3000),
  },
  {
    method: 'POST',
    pattern: /^\/checkout$/,
    route: '/checkout',
    latency: () => (Math.random() < 0.1 ? between(1100, 1600) : between(100, 300)),
  },
];

function routeOf(req: IncomingMessage) {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  return ROUTES.find((r) => r.method === req.method && r.pattern.test(path));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const route = routeOf(req);
  req.resume();
  if (!route) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    return;
  }
  await sleep(route.latency());
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
}

/** One request to this API, as a client would make it. */
async function call(method: string, path: string): Promise<void> {
  try {
    const response = await fetch(`http://127.0.0.1:${PORT}${path}`, { method });
    await response.arrayBuffer();
  } catch {
    // During an outage the calls fail; that is the point.
  }
}

async function main(): Promise<void> {
  const agent = demoAgent('demo-api', 'api-1');
  const server = createServer((req, res) => void handle(req, res));
  agent.instrumentHttpServer(server, { routeOf: (req) => routeOf(req)?.route });
  await agent.start();

  const listen = () =>
    new Promise<void>((resolve) => server.listen(PORT, env('HOST', '0.0.0.0'), resolve));
  await listen();
  process.stdout.write(`demo-api listening on :${PORT}\n`);

  const traffic = setInterval(() => {
    void call('GET', '/orders');
    void call('GET', `/orders/${between(1, 500)}`);
    if (Math.random() < 0.2) void call('GET', '/reports/monthly');
    if (Math.random() < 0.5) void call('POST', '/checkout');
  }, 1000);

  const outage = setInterval(() => {
    process.stdout.write(
      `demo-api: outage for ${OUTAGE_MS} ms (the availability check turns red)\n`,
    );
    server.close();
    server.closeAllConnections();
    setTimeout(
      () => void listen().then(() => process.stdout.write('demo-api: back up\n')),
      OUTAGE_MS,
    );
  }, OUTAGE_EVERY_MS);

  onShutdown(async () => {
    clearInterval(traffic);
    clearInterval(outage);
    server.close();
    server.closeAllConnections();
    await agent.stop();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`demo-api: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
