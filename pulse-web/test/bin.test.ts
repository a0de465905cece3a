/** The built `quasar-pulse-web` bin as the README runs it: environment only, a real process. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../testing/redis-server';

const BIN = join(__dirname, '..', 'dist', 'server', 'bin', 'quasar-pulse-web.js');

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

describe('quasar-pulse-web', () => {
  it('serves the page on PORT, prints where, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const proc = run({
      QUASAR_COLLECTOR_URL: 'http://127.0.0.1:9',
      QUASAR_ROLE: 'Editor',
      PORT: String(port),
    });
    const until = Date.now() + 10_000;
    while (!proc.out().includes('Quasar Pulse page on') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(proc.out()).toContain(`http://127.0.0.1:${port}/a/gravito-quasar-app (role Editor)`);
    const page = await fetch(`http://127.0.0.1:${port}/a/gravito-quasar-app`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('"role":"Editor"');
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('exits 2 naming the variable of a bad setting', async () => {
    const proc = run({ QUASAR_COLLECTOR_URL: 'http://127.0.0.1:9', QUASAR_ROLE: 'Owner' });
    expect(await proc.exited).toBe(2);
    expect(proc.err()).toMatch(
      /^quasar-pulse-web: QUASAR_ROLE \(role: must be one of Viewer, Editor, Admin/,
    );
  });

  it('exits 2 when no collector URL is set', async () => {
    const proc = run({ QUASAR_COLLECTOR_URL: '' });
    expect(await proc.exited).toBe(2);
    expect(proc.err()).toContain('QUASAR_COLLECTOR_URL');
  });
});
