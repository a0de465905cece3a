/**
 * Every answer carries the security headers: a CSP that forbids framing and inline script,
 * `X-Frame-Options: DENY`, `nosniff` and no referrer; a collector's answer cannot loosen them.
 * (The browser test shows the real page works under this CSP and cannot be framed.)
 */
import { startPulseWeb, type PulseWebServer } from '../src/server';
import { PAGE_CSP, PROXIED_CSP } from '../src/server/security-headers';
import { recordingUpstream, send, type Reply, type Upstream } from './http';

function expectSecurityHeaders(reply: Reply, csp = PAGE_CSP): void {
  expect(reply.headers).toMatchObject({
    'content-security-policy': csp,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
}

describe('security headers', () => {
  let upstream: Upstream;
  let server: PulseWebServer;

  beforeAll(async () => {
    upstream = await recordingUpstream();
    server = await startPulseWeb({ collectorUrl: upstream.url, role: 'Editor', port: 0 });
  });

  afterAll(async () => {
    await server.close();
    await upstream.close();
  });

  it("forbid framing and inline or foreign script in the page's policy", () => {
    expect(PAGE_CSP).toContain("frame-ancestors 'none'");
    expect(PAGE_CSP).toContain("script-src 'self';");
    expect(PAGE_CSP).toContain("object-src 'none'");
    expect(PAGE_CSP).toContain("connect-src 'self'");
  });

  it.each([
    ['the page', '/a/gravito-quasar-app', 200],
    ['its script', '/page/main.js', 200],
    ['a Grafana font', '/public/fonts/inter/Inter-Regular.woff2', 200],
    ['a redirect', '/', 302],
    ['a sign-in', '/?token=wrong', 403],
    ['a missing file', '/page/missing.js', 404],
    ['a refused method', '/a/gravito-quasar-app', 405, 'DELETE'],
  ])('are on %s', async (_what, path, status, method = 'GET') => {
    const reply = await send(`${server.url}${path}`, { method });
    expect(reply.status).toBe(status);
    expectSecurityHeaders(reply);
  });

  it('are on a refused Host', async () => {
    const reply = await send(server.appUrl, { headers: { host: 'evil.example' } });
    expect(reply.status).toBe(403);
    expectSecurityHeaders(reply);
  });

  it("replace the collector's own, on a proxied answer, with a sandbox policy", async () => {
    const reply = await send(`${server.url}/api/plugin-proxy/gravito-quasar-app/api/pulse/nodes`);
    expect(reply.status).toBe(200);
    expectSecurityHeaders(reply, PROXIED_CSP);
  });
});
