/**
 * The Host allow-list against DNS rebinding, and the Origin check of state-changing requests:
 * the rules, then the server refusing over real HTTP before anything reaches the collector.
 */
import { hostAllowList, hostAllowed, originAllowed } from '../src/server/allowed-hosts';
import { startPulseWeb, type PulseWebServer } from '../src/server';
import { recordingUpstream, send, signInCookie, type Upstream } from './http';

describe('the Host allow-list', () => {
  const list = hostAllowList('127.0.0.1', 3000, ['pulse.example.com', 'ops.example.com:8443']);

  it.each(['127.0.0.1:3000', 'localhost:3000', 'LOCALHOST:3000', '[::1]:3000'])(
    'allows the loopback name %s on the server port',
    (host) => expect(hostAllowed(list, host)).toBe(true),
  );

  it.each([
    'evil.example:3000',
    'evil.example',
    'localhost:3001',
    'localhost',
    'localhost.:3000',
    '127.0.0.1:3000@evil.example',
    'evil.example/127.0.0.1:3000',
    '127.1:3000',
    '',
  ])('refuses %j', (host) => expect(hostAllowed(list, host)).toBe(false));

  it('refuses a request without a Host', () => {
    expect(hostAllowed(list, undefined)).toBe(false);
  });

  it('allows a configured name on any port, and a configured name:port on that port only', () => {
    expect(hostAllowed(list, 'pulse.example.com')).toBe(true);
    expect(hostAllowed(list, 'pulse.example.com:8080')).toBe(true);
    expect(hostAllowed(list, 'ops.example.com:8443')).toBe(true);
    expect(hostAllowed(list, 'ops.example.com')).toBe(false);
  });

  it('allows a port-less localhost when the server listens on port 80', () => {
    expect(hostAllowed(hostAllowList('127.0.0.1', 80, []), 'localhost')).toBe(true);
  });

  it("allows the machine's addresses when listening on all of them", () => {
    const all = hostAllowList('0.0.0.0', 3000, [], () => ['10.1.2.3', 'fe80::1']);
    expect(hostAllowed(all, '10.1.2.3:3000')).toBe(true);
    expect(hostAllowed(all, '[fe80::1]:3000')).toBe(true);
    expect(hostAllowed(all, '10.9.9.9:3000')).toBe(false);
  });

  it('allows an Origin on the list, or none, and refuses others and null', () => {
    expect(originAllowed(list, undefined)).toBe(true);
    expect(originAllowed(list, 'http://localhost:3000')).toBe(true);
    expect(originAllowed(list, 'https://pulse.example.com')).toBe(true);
    expect(originAllowed(list, 'http://evil.example')).toBe(false);
    expect(originAllowed(list, 'http://localhost:3001')).toBe(false);
    expect(originAllowed(list, 'null')).toBe(false);
    expect(originAllowed(list, 'http://localhost:3000/path')).toBe(false);
  });
});

describe('the server', () => {
  let upstream: Upstream;
  let editor: PulseWebServer;
  let cookie: string;
  const command = '/api/plugin-proxy/gravito-quasar-app/api/pulse/command/retry';
  const port = () => editor.config.port;

  beforeAll(async () => {
    upstream = await recordingUpstream();
    editor = await startPulseWeb({
      collectorUrl: upstream.url,
      role: 'Editor',
      allowedHosts: ['pulse.example.com'],
      port: 0,
    });
    cookie = await signInCookie(editor);
  });

  afterAll(async () => {
    await editor.close();
    await upstream.close();
  });

  beforeEach(() => upstream.seen.splice(0));

  it('refuses a page asked for under a rebinding name with 403, saying how to allow a name', async () => {
    const reply = await send(`${editor.appUrl}`, { headers: { host: `evil.example:${port()}` } });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body)).toEqual({
      message: expect.stringContaining('QUASAR_ALLOWED_HOSTS'),
    });
    expect(reply.body).toContain('evil.example');
    expect(reply.body).not.toContain('<html');
  });

  it('refuses a proxied request under a rebinding name before it reaches the collector', async () => {
    const reply = await send(`${editor.url}${command}`, {
      method: 'POST',
      headers: { host: `evil.example:${port()}`, cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reply.status).toBe(403);
    expect(upstream.seen).toEqual([]);
  });

  it('serves localhost on its port and the configured name', async () => {
    for (const host of [`localhost:${port()}`, `[::1]:${port()}`, 'pulse.example.com']) {
      expect((await send(editor.appUrl, { headers: { host } })).status).toBe(200);
    }
  });

  it('refuses a POST from another Origin, even with the session cookie', async () => {
    const reply = await send(`${editor.url}${command}`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body)).toEqual({ message: expect.stringContaining('Origin') });
    expect(upstream.seen).toEqual([]);
  });

  it('forwards a POST from its own Origin', async () => {
    const reply = await send(`${editor.url}${command}`, {
      method: 'POST',
      headers: { origin: editor.url, cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reply.status).toBe(200);
    expect(upstream.seen).toHaveLength(1);
  });
});
