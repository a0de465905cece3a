/**
 * Names from the URL, the cookies and the headers that are also `Object.prototype`'s members
 * are just unknown names: a 404, never a 500 or a prototype's value.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPulseWeb, type PulseWebServer } from '../src/server';
import { recordingUpstream, send, type Upstream } from './http';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

/** Every route that looks a name up. */
const LOOKUPS = [
  '/public/fonts/inter/',
  '/public/build/img/icons/',
  '/page/',
  '/page-profiling/',
  '/api/plugin-proxy/gravito-quasar-app/',
  '/api/plugins/',
  '/',
];

describe('prototype member names', () => {
  let upstream: Upstream;
  let server: PulseWebServer;
  let pageDir: string;

  beforeAll(async () => {
    upstream = await recordingUpstream();
    pageDir = mkdtempSync(join(tmpdir(), 'quasar-pulse-page-'));
    for (const name of NAMES) writeFileSync(join(pageDir, `file.${name}`), name);
    server = await startPulseWeb({ collectorUrl: upstream.url, pageDir, port: 0 });
  });

  afterAll(async () => {
    await server.close();
    await upstream.close();
    rmSync(pageDir, { recursive: true, force: true });
  });

  const cases = LOOKUPS.flatMap((route) => NAMES.map((name) => `${route}${name}`));

  it.each(cases)('%s is not found', async (path) => {
    const reply = await send(`${server.url}${path}`);
    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toBe('application/json');
  });

  it.each(NAMES)('a settings lookup of %s is not found', async (name) => {
    expect((await send(`${server.url}/api/plugins/${name}/settings`)).status).toBe(404);
  });

  it.each(NAMES)('a file with the extension .%s is served as bytes', async (name) => {
    const reply = await send(`${server.url}/page/file.${name}`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/octet-stream');
    expect(reply.body).toBe(name);
  });

  it.each(NAMES)('a cookie or header named %s changes nothing', async (name) => {
    const reply = await send(`${server.url}/api/plugin-proxy/gravito-quasar-app/api/pulse/nodes`, {
      headers: { cookie: `${name}=1; quasar_pulse_${server.config.port}=${name}`, [name]: 'x' },
    });
    expect(reply.status).toBe(200);
    expect(Object.hasOwn(upstream.seen.at(-1)!.headers, name)).toBe(false);
  });
});
