/**
 * The server over real HTTP: option errors name the option, and the proxy sends the route's
 * token (never the browser's credentials) to a real loopback upstream standing in for the
 * collector, refusing a Viewer's POST before it leaves.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PulseWebConfigError, startPulseWeb, type PulseWebServer } from '../src/server';

describe('options', () => {
  it.each([
    [{ collectorUrl: '' }, 'collectorUrl'],
    [{ collectorUrl: 'ftp://x' }, 'collectorUrl'],
    [{ collectorUrl: 'http://x', role: 'Owner' }, 'role'],
    [{ collectorUrl: 'http://x', theme: 'blue' }, 'theme'],
    [{ collectorUrl: 'http://x', port: 70000 }, 'port'],
    [{ collectorUrl: 'http://x', colour: 'red' }, 'colour'],
  ])('%j is refused, naming %s', async (options, option) => {
    const error = await startPulseWeb(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PulseWebConfigError);
    expect((error as PulseWebConfigError).option).toBe(option);
  });
});

describe('the app proxy stand-in', () => {
  let upstream: Server;
  let seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }>;
  let viewer: PulseWebServer;
  let editor: PulseWebServer;

  beforeAll(async () => {
    seen = [];
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'upstream=1' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const collectorUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    viewer = await startPulseWeb({ collectorUrl, apiToken: 'tok-1', role: 'Viewer', port: 0 });
    editor = await startPulseWeb({ collectorUrl, apiToken: 'tok-1', role: 'Editor', port: 0 });
  });

  afterAll(async () => {
    await viewer.close();
    await editor.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  beforeEach(() => seen.splice(0));

  it('forwards a GET with the route token, without the browser cookie or credentials', async () => {
    const response = await fetch(
      `${viewer.url}/api/plugin-proxy/gravito-quasar-app/api/pulse/nodes?service=shop`,
      {
        headers: { cookie: 'grafana_session=abc', authorization: 'Bearer browser' },
      },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/api/pulse/nodes?service=shop' });
    expect(seen[0]!.headers.authorization).toBe('Bearer tok-1');
    expect(seen[0]!.headers.cookie).toBeUndefined();
  });

  it("refuses a Viewer's POST with 403 before it reaches the collector", async () => {
    const response = await fetch(
      `${viewer.url}/api/plugin-proxy/gravito-quasar-app/api/pulse/command`,
      {
        method: 'POST',
        body: '{}',
      },
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'plugin proxy route access denied' });
    expect(seen).toHaveLength(0);
  });

  it("forwards an Editor's POST with its body", async () => {
    const response = await fetch(
      `${editor.url}/api/plugin-proxy/gravito-quasar-app/api/pulse/command`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"type":"RETRY_JOB"}',
      },
    );
    expect(response.status).toBe(200);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/pulse/command',
      body: '{"type":"RETRY_JOB"}',
    });
  });

  it("sends the write token, not the API token, with an Editor's POST when one is set", async () => {
    const collectorUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const writer = await startPulseWeb({
      collectorUrl,
      apiToken: 'tok-1',
      apiWriteToken: 'w-2',
      role: 'Editor',
      port: 0,
    });
    try {
      await fetch(`${writer.url}/api/plugin-proxy/gravito-quasar-app/api/pulse/command`, {
        method: 'POST',
        body: '{}',
      });
      await fetch(`${writer.url}/api/plugin-proxy/gravito-quasar-app/api/pulse/nodes`);
      expect(seen.map((r) => [r.method, r.headers.authorization])).toEqual([
        ['POST', 'Bearer w-2'],
        ['GET', 'Bearer tok-1'],
      ]);
    } finally {
      await writer.close();
    }
  });

  it('answers 404 for a path no route matches, and 502 when the collector is gone', async () => {
    expect((await fetch(`${editor.url}/api/plugin-proxy/gravito-quasar-app/metrics`)).status).toBe(
      404,
    );
    const lost = await startPulseWeb({
      collectorUrl: 'http://127.0.0.1:9',
      role: 'Viewer',
      port: 0,
    });
    try {
      expect(
        (await fetch(`${lost.url}/api/plugin-proxy/gravito-quasar-app/api/pulse/nodes`)).status,
      ).toBe(502);
    } finally {
      await lost.close();
    }
  });

  it('serves the page for the app, its sub-pages and the panel, with the boot settings', async () => {
    for (const path of ['/a/gravito-quasar-app', '/a/gravito-quasar-app/slow', '/panel']) {
      const response = await fetch(`${editor.url}${path}`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('"role":"Editor"');
      expect(html).not.toContain('tok-1');
    }
    const root = await fetch(editor.url, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/a/gravito-quasar-app');
  });
});
