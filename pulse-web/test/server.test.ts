/**
 * The server over real HTTP: option errors name the option, and the proxy sends the route's
 * token (never the browser's credentials) to a real loopback upstream standing in for the
 * collector, refusing a Viewer's POST before it leaves.
 */
import { PulseWebConfigError, startPulseWeb, type PulseWebServer } from '../src/server';
import { recordingUpstream, signInCookie, type Upstream } from './http';

describe('options', () => {
  it.each([
    [{ collectorUrl: '' }, 'collectorUrl'],
    [{ collectorUrl: 'ftp://x' }, 'collectorUrl'],
    [{ collectorUrl: 'http://x', role: 'Owner' }, 'role'],
    [{ collectorUrl: 'http://x', theme: 'blue' }, 'theme'],
    [{ collectorUrl: 'http://x', port: 70000 }, 'port'],
    [{ collectorUrl: 'http://x', colour: 'red' }, 'colour'],
    [{ collectorUrl: 'http://x', user: 'a\nb' }, 'user'],
    [{ collectorUrl: 'http://x', signInToken: 'short' }, 'signInToken'],
    [{ collectorUrl: 'http://x', allowedHosts: ['evil.example/path'] }, 'allowedHosts'],
    [{ collectorUrl: 'http://x', allowedHosts: 'pulse.example' }, 'allowedHosts'],
  ])('%j is refused, naming %s', async (options, option) => {
    const error = await startPulseWeb(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PulseWebConfigError);
    expect((error as PulseWebConfigError).option).toBe(option);
  });

  it('never repeats a refused sign-in token in the error', async () => {
    const error = await startPulseWeb({
      collectorUrl: 'http://x',
      signInToken: 'too-short-secret',
    }).catch((e: unknown) => e);
    expect((error as Error).message).not.toContain('too-short-secret');
  });
});

describe('the app proxy stand-in', () => {
  let upstream: Upstream;
  let viewer: PulseWebServer;
  let editor: PulseWebServer;
  let editorCookie: string;

  beforeAll(async () => {
    upstream = await recordingUpstream();
    viewer = await startPulseWeb({
      collectorUrl: upstream.url,
      apiToken: 'tok-1',
      role: 'Viewer',
      port: 0,
    });
    editor = await startPulseWeb({
      collectorUrl: upstream.url,
      apiToken: 'tok-1',
      role: 'Editor',
      port: 0,
    });
    editorCookie = await signInCookie(editor);
  });

  afterAll(async () => {
    await viewer.close();
    await editor.close();
    await upstream.close();
  });

  beforeEach(() => upstream.seen.splice(0));

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
    expect(upstream.seen).toHaveLength(1);
    expect(upstream.seen[0]).toMatchObject({
      method: 'GET',
      url: '/api/pulse/nodes?service=shop',
    });
    expect(upstream.seen[0]!.headers.authorization).toBe('Bearer tok-1');
    expect(upstream.seen[0]!.headers.cookie).toBeUndefined();
  });

  it("refuses a Viewer's POST with 403 before it reaches the collector", async () => {
    const response = await fetch(
      `${viewer.url}/api/plugin-proxy/gravito-quasar-app/api/pulse/command/retry`,
      {
        method: 'POST',
        body: '{}',
      },
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'plugin proxy route access denied' });
    expect(upstream.seen).toHaveLength(0);
  });

  it("forwards a signed-in Editor's POST with its body", async () => {
    const response = await fetch(
      `${editor.url}/api/plugin-proxy/gravito-quasar-app/api/pulse/command/retry`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: editorCookie,
          'x-quasar-read-only': 'true',
        },
        body: '{"type":"RETRY_JOB"}',
      },
    );
    expect(response.status).toBe(200);
    expect(upstream.seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/pulse/command/retry',
      body: '{"type":"RETRY_JOB"}',
    });
    // The app's read-only switch (off here), from the route's template, never the browser's.
    expect(upstream.seen[0]!.headers['x-quasar-read-only']).toBe('false');
  });

  it("sends the write token, not the API token, with an Editor's POST when one is set", async () => {
    const writer = await startPulseWeb({
      collectorUrl: upstream.url,
      apiToken: 'tok-1',
      apiWriteToken: 'w-2',
      role: 'Editor',
      port: 0,
    });
    try {
      const cookie = await signInCookie(writer);
      await fetch(`${writer.url}/api/plugin-proxy/gravito-quasar-app/api/pulse/command/retry`, {
        method: 'POST',
        headers: { cookie },
        body: '{}',
      });
      await fetch(`${writer.url}/api/plugin-proxy/gravito-quasar-app/api/pulse/nodes`);
      expect(upstream.seen.map((r) => [r.method, r.headers.authorization])).toEqual([
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
      const response = await fetch(`${editor.url}${path}`, { headers: { cookie: editorCookie } });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('"role":"Editor","user":"editor","canSignIn":false');
      expect(html).not.toContain('tok-1');
    }
    const root = await fetch(editor.url, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/a/gravito-quasar-app');
  });
});
