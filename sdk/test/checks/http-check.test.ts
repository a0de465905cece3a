/**
 * One HTTP check run against real loopback servers: up, slow, down, wrong status, redirects,
 * credentials, and a real self-signed TLS certificate that expires in a few days.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Server } from 'node:net';
import { resolveCheck } from '../../src/checks/check-options';
import type { ResolvedHttpCheck } from '../../src/checks/check-options';
import { certDaysLeft, runHttpCheck } from '../../src/checks/http-check';
import type { HttpCheckOptions } from '../../src/checks/types';
import { eventually } from '../../../testing/redis';
import { close, closedPort, httpServer, httpsServer } from './support';

const http = (options: Omit<HttpCheckOptions, 'type'>): ResolvedHttpCheck =>
  resolveCheck('api', { type: 'http', ...options }) as ResolvedHttpCheck;

/** Answers `/status/{code}` with that code, `/redirect` with a 302, `/slow` never. */
function routes(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  if (path.startsWith('/status/')) {
    res.writeHead(Number(path.slice('/status/'.length))).end('body');
  } else if (path === '/redirect') {
    res.writeHead(302, { location: '/status/500' }).end();
  } else if (path === '/slow') {
    // Held until the server closes: the check's deadline must end the run.
  } else {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'.repeat(10_000));
  }
}

describe('runHttpCheck', () => {
  let server: HttpServer;
  let base: string;
  let requests: IncomingMessage[];

  beforeAll(async () => {
    const started = await httpServer(routes);
    ({ server, requests } = started);
    base = `http://127.0.0.1:${started.port}`;
  });
  afterAll(() => close(server));

  it('reports an answering server as up, with its status, latency and run time', async () => {
    const before = Date.now();
    const result = await runHttpCheck(http({ url: `${base}/health?deep=1` }));
    expect(result).toEqual({
      name: 'api',
      type: 'http',
      target: `${base}/health?deep=1`,
      up: true,
      status: 200,
      method: 'GET',
      latencyMs: expect.any(Number),
      checkedAt: expect.any(Number),
    });
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.checkedAt).toBeGreaterThanOrEqual(before);
    expect(result.checkedAt).toBeLessThanOrEqual(Date.now());
  });

  it('reports a server that answers after the deadline as down, timed out', async () => {
    const result = await runHttpCheck(
      http({ url: `${base}/slow`, timeoutMs: 300, intervalMs: 1000 }),
    );
    expect(result.up).toBe(false);
    expect(result.error).toBe('timed out after 300 ms');
    expect(result.status).toBeUndefined();
    expect(result.latencyMs).toBeGreaterThanOrEqual(299);
  });

  it('reports a closed port as down with ECONNREFUSED', async () => {
    const result = await runHttpCheck(http({ url: `http://127.0.0.1:${await closedPort()}/` }));
    expect(result).toMatchObject({ up: false, error: 'ECONNREFUSED' });
    expect(result.status).toBeUndefined();
  });

  it('reports a 500 as down, with the status and no error', async () => {
    const result = await runHttpCheck(http({ url: `${base}/status/500` }));
    expect(result).toMatchObject({ up: false, status: 500 });
    expect(result.error).toBeUndefined();
  });

  it('judges a redirect as it is, without following it', async () => {
    const seen = requests.length;
    expect(await runHttpCheck(http({ url: `${base}/redirect` }))).toMatchObject({
      up: true,
      status: 302,
    });
    expect(await runHttpCheck(http({ url: `${base}/redirect`, expectStatus: 200 }))).toMatchObject({
      up: false,
      status: 302,
    });
    expect(requests.slice(seen).map((r) => r.url)).toEqual(['/redirect', '/redirect']);
  });

  it.each([
    [404, 404, true],
    [204, 200, false],
    [204, [200, 204], true],
    [404, ['2xx', 404], true],
    [503, '5xx', true],
    [200, '5xx', false],
  ] as const)(
    'with status %p and expectStatus %p, reports up %p',
    async (status, expectStatus, up) => {
      const result = await runHttpCheck(http({ url: `${base}/status/${status}`, expectStatus }));
      expect(result).toMatchObject({ up, status });
    },
  );

  it('sends the method, headers and URL credentials, but reports the target without them', async () => {
    const seen = requests.length;
    const result = await runHttpCheck(
      http({
        url: `http://probe:s%3Dcret@127.0.0.1:${base.split(':')[2]}/status/200`,
        method: 'HEAD',
        headers: { 'x-check': 'quasar' },
      }),
    );
    expect(result).toMatchObject({
      up: true,
      status: 200,
      method: 'HEAD',
      target: `${base}/status/200`,
    });
    const req = requests[seen] as IncomingMessage;
    expect(req.method).toBe('HEAD');
    expect(req.headers['x-check']).toBe('quasar');
    expect(req.headers['user-agent']).toMatch(/^gravito-quasar-check\//);
    expect(req.headers.authorization).toBe(
      `Basic ${Buffer.from('probe:s=cret').toString('base64')}`,
    );
  });

  it('keeps no connection open after a run', async () => {
    await runHttpCheck(http({ url: `${base}/` }));
    await eventually(
      () =>
        new Promise<true | undefined>((resolve) =>
          server.getConnections((_, count) => resolve(count === 0 ? true : undefined)),
        ),
      5000,
      'the server to see no open connection',
    );
  });
});

describe('runHttpCheck over TLS (self-signed certificate valid for 3 days)', () => {
  let server: Server;
  let url: string;
  let served = 0;

  beforeAll(async () => {
    const started = await httpsServer(3, (_req, res) => {
      served++;
      res.writeHead(200).end('ok');
    });
    server = started.server;
    url = `https://localhost:${started.port}/health`;
  });
  afterAll(() => close(server));

  it('reports up and the days left when verification is off', async () => {
    const result = await runHttpCheck(http({ url, rejectUnauthorized: false }));
    expect(result).toMatchObject({ up: true, status: 200, target: url });
    expect([2, 3]).toContain(result.certDaysLeft);
  });

  it('reports down with the verification code by default, still with the days left', async () => {
    const before = served;
    const result = await runHttpCheck(http({ url, headers: { authorization: 'Bearer secret' } }));
    // Rejected before any request byte (or credential) reached the untrusted server.
    expect(served).toBe(before);
    expect(result.up).toBe(false);
    expect(result.error).toMatch(/SELF_SIGNED/);
    expect(result.status).toBeUndefined();
    expect([2, 3]).toContain(result.certDaysLeft);
  });
});

describe('certDaysLeft', () => {
  const now = Date.parse('2030-01-10T12:00:00Z');

  it('counts whole days left until valid_to', () => {
    expect(certDaysLeft({ valid_to: 'Jan 13 11:00:00 2030 GMT' }, now)).toBe(2);
  });

  it('goes negative once the certificate has expired', () => {
    expect(certDaysLeft({ valid_to: 'Jan  8 12:00:00 2030 GMT' }, now)).toBe(-2);
  });

  it('is undefined when there is no readable expiry', () => {
    expect(certDaysLeft(undefined, now)).toBeUndefined();
    expect(certDaysLeft({ valid_to: 'not a date' }, now)).toBeUndefined();
  });
});
