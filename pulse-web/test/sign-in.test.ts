/**
 * Above Viewer, the role belongs to the browser that opened the sign-in URL printed at start:
 * it gets an HttpOnly, SameSite=Strict session cookie; every other client is an anonymous
 * Viewer, whose commands the proxy refuses before they reach the collector.
 */
import { startPulseWeb, type PulseWebServer } from '../src/server';
import { recordingUpstream, send, signInCookie, type Upstream } from './http';

const COMMAND = '/api/plugin-proxy/gravito-quasar-app/api/pulse/command/retry';
const FIXED_TOKEN = 'fixed-sign-in-token-for-automation-0123456789';

describe('signing in', () => {
  let upstream: Upstream;
  let editor: PulseWebServer;

  beforeAll(async () => {
    upstream = await recordingUpstream();
    editor = await startPulseWeb({ collectorUrl: upstream.url, role: 'Editor', port: 0 });
  });

  afterAll(async () => {
    await editor.close();
    await upstream.close();
  });

  beforeEach(() => upstream.seen.splice(0));

  const post = (server: PulseWebServer, cookie?: string) =>
    send(`${server.url}${COMMAND}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: '{}',
    });

  it('makes a sign-in URL with a long random token', () => {
    const token = new URL(editor.signInUrl!).searchParams.get('token')!;
    expect(editor.signInUrl!.startsWith(`${editor.url}/?token=`)).toBe(true);
    expect(token.length).toBeGreaterThanOrEqual(40);
  });

  it('treats a client without the session cookie as a Viewer: read-only page, command refused', async () => {
    const page = await send(editor.appUrl);
    expect(page.body).toContain('"role":"Viewer","user":null,"canSignIn":true');
    const reply = await post(editor);
    expect(reply.status).toBe(403);
    expect(upstream.seen).toEqual([]);
  });

  it('sets an HttpOnly, SameSite=Strict cookie that is not the token, and redirects to the clean URL', async () => {
    const token = new URL(editor.signInUrl!).searchParams.get('token')!;
    const reply = await send(`${editor.appUrl}/audit?theme=light&token=${token}`);
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('/a/gravito-quasar-app/audit?theme=light');
    const cookie = reply.headers['set-cookie']![0]!;
    expect(cookie).toMatch(
      new RegExp(
        `^quasar_pulse_${editor.config.port}=[\\w-]{40,}; Path=/; HttpOnly; SameSite=Strict$`,
      ),
    );
    expect(cookie).not.toContain(token);
  });

  it('gives the signed-in browser the role: Editor page, command forwarded', async () => {
    const cookie = await signInCookie(editor);
    const page = await send(editor.appUrl, { headers: { cookie: `other=1; ${cookie}` } });
    expect(page.body).toContain('"role":"Editor","user":"editor","canSignIn":false');
    expect((await post(editor, cookie)).status).toBe(200);
    expect(upstream.seen).toHaveLength(1);
  });

  it('refuses a wrong token with 403 and no cookie', async () => {
    const reply = await send(`${editor.url}/?token=guess`);
    expect(reply.status).toBe(403);
    expect(reply.headers['set-cookie']).toBeUndefined();
    expect(JSON.parse(reply.body)).toEqual({ message: expect.stringContaining('sign-in URL') });
  });

  it('refuses a forged or foreign cookie', async () => {
    const name = `quasar_pulse_${editor.config.port}`;
    expect((await post(editor, `${name}=forged`)).status).toBe(403);
    const other = await startPulseWeb({ collectorUrl: upstream.url, role: 'Editor', port: 0 });
    try {
      // Each start makes its own secret: another server's session is worth nothing here.
      const value = (await signInCookie(other)).split('=')[1]!;
      expect((await post(editor, `${name}=${value}`)).status).toBe(403);
    } finally {
      await other.close();
    }
    expect(upstream.seen).toEqual([]);
  });

  it.each(['//evil.example/', '///evil.example/'])(
    'never redirects from %s to another site',
    async (path) => {
      const token = new URL(editor.signInUrl!).searchParams.get('token')!;
      const reply = await send(`${editor.url}${path}?token=${token}`);
      expect(reply.status).toBe(302);
      expect(reply.headers.location).toMatch(/^\/(?![/\\])/);
    },
  );

  it('takes a fixed token for automation, whose sessions outlive a restart', async () => {
    const options = {
      collectorUrl: upstream.url,
      role: 'Admin' as const,
      signInToken: FIXED_TOKEN,
      port: 0,
    };
    const first = await startPulseWeb(options);
    const cookie = await signInCookie(first).finally(() => first.close());
    expect(first.signInUrl).toBe(`${first.url}/?token=${FIXED_TOKEN}`);
    const second = await startPulseWeb({ ...options, port: first.config.port });
    try {
      expect((await post(second, cookie)).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('has no sign-in for a Viewer server, whose role everyone has', async () => {
    const viewer = await startPulseWeb({
      collectorUrl: upstream.url,
      role: 'Viewer',
      signInToken: FIXED_TOKEN,
      port: 0,
    });
    try {
      expect(viewer.signInUrl).toBeUndefined();
      expect((await send(`${viewer.url}/?token=${FIXED_TOKEN}`)).status).toBe(403);
      expect((await send(viewer.appUrl)).body).toContain(
        '"role":"Viewer","user":"viewer","canSignIn":false',
      );
    } finally {
      await viewer.close();
    }
  });
});
