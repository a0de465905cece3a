/**
 * What the proxy passes to the collector: the user the server signed in, never the one the
 * client names (`X-Grafana-*`, credentials, forwarding headers), and bodies within a bound.
 */
import { startPulseWeb, type PulseWebServer } from '../src/server';
import { MAX_HEADER_BYTES, MAX_PROXY_BODY_BYTES } from '../src/server/limits';
import { recordingUpstream, send, signInCookie, type Upstream } from './http';

const API = '/api/plugin-proxy/gravito-quasar-app/api';

/** Headers a client sends to pass itself off as someone else. */
const FORGED = {
  'x-grafana-user': 'mallory',
  'x-grafana-org-id': '7',
  'x-grafana-context': '{"user":{"login":"mallory"}}',
  'x-grafana-id': 'forged.jwt',
  'x-forwarded-for': '10.6.6.6',
  'x-forwarded-user': 'mallory',
  'x-webauth-user': 'mallory',
  authorization: 'Bearer stolen',
  'proxy-authorization': 'Basic bWFsbG9yeQ==',
};

describe('the proxy', () => {
  let upstream: Upstream;
  let editor: PulseWebServer;
  let cookie: string;

  beforeAll(async () => {
    upstream = await recordingUpstream();
    editor = await startPulseWeb({
      collectorUrl: upstream.url,
      apiToken: 'route-token',
      role: 'Editor',
      user: 'alice',
      port: 0,
    });
    cookie = await signInCookie(editor);
  });

  afterAll(async () => {
    await editor.close();
    await upstream.close();
  });

  beforeEach(() => upstream.seen.splice(0));

  const postCommand = (body: string | Buffer, headers: Record<string, string> = {}) =>
    send(`${editor.url}${API}/pulse/command/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, ...headers },
      body,
    });

  it("names the signed-in user as X-Grafana-User, whatever the client's headers say", async () => {
    const reply = await postCommand('{}', FORGED);
    expect(reply.status).toBe(200);
    const seen = upstream.seen[0]!.headers;
    expect(seen['x-grafana-user']).toBe('alice');
    expect(seen.authorization).toBe('Bearer route-token');
    const dropped = Object.keys(FORGED).filter(
      (name) => name !== 'x-grafana-user' && name !== 'authorization',
    );
    expect(dropped.filter((name) => seen[name] !== undefined)).toEqual([]);
    expect(seen.cookie).toBeUndefined();
  });

  it('names no user for an anonymous Viewer, as Grafana does', async () => {
    await send(`${editor.url}${API}/pulse/nodes`, { headers: FORGED });
    expect(upstream.seen).toHaveLength(1);
    expect(upstream.seen[0]!.headers['x-grafana-user']).toBeUndefined();
    expect(upstream.seen[0]!.headers['x-grafana-context']).toBeUndefined();
  });

  it('passes the headers the page needs: content type, accept, last event id', async () => {
    await send(`${editor.url}${API}/pulse/stream`, {
      headers: { accept: 'text/event-stream', 'last-event-id': '42', cookie },
    });
    expect(upstream.seen[0]!.headers).toMatchObject({
      accept: 'text/event-stream',
      'last-event-id': '42',
      'x-grafana-user': 'alice',
    });
  });

  it(`forwards a body of ${MAX_PROXY_BODY_BYTES} bytes`, async () => {
    const body = `"${'x'.repeat(MAX_PROXY_BODY_BYTES - 2)}"`;
    expect((await postCommand(body)).status).toBe(200);
    expect(upstream.seen[0]!.body).toHaveLength(MAX_PROXY_BODY_BYTES);
  });

  it('refuses a larger body with 413 before the collector sees it', async () => {
    const reply = await postCommand('x'.repeat(MAX_PROXY_BODY_BYTES + 1));
    expect(reply.status).toBe(413);
    expect(upstream.seen).toEqual([]);
  });

  it('refuses a larger chunked body (no Content-Length) with 413 before the collector sees it', async () => {
    const reply = await postCommand(Buffer.alloc(MAX_PROXY_BODY_BYTES * 4, 'x'), {
      'transfer-encoding': 'chunked',
    });
    expect(reply.status).toBe(413);
    expect(upstream.seen).toEqual([]);
  });

  it('answers 431 to a request head larger than the bound', async () => {
    const reply = await send(`${editor.url}${API}/pulse/nodes`, {
      headers: { 'x-padding': 'x'.repeat(MAX_HEADER_BYTES) },
    });
    expect(reply.status).toBe(431);
    expect(upstream.seen).toEqual([]);
  });
});
