/** The built `quasar-pulse-web` bin as the README runs it: environment only, a real process. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../testing/redis-server';
import { send } from './http';

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
  // 'close', not 'exit': a process's last output may still be in the pipes when 'exit' comes.
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return { child, exited, out: () => out, err: () => err };
}

async function printed(proc: ReturnType<typeof run>, text: string): Promise<void> {
  // A cold start of a Node process on a loaded machine can take seconds.
  const until = Date.now() + 30_000;
  while (!proc.out().includes(text) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(proc.out()).toContain(text);
}

describe('quasar-pulse-web', () => {
  it('serves the page on PORT, prints where and the sign-in URL, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const proc = run({
      QUASAR_COLLECTOR_URL: 'http://127.0.0.1:9',
      QUASAR_ROLE: 'Editor',
      PORT: String(port),
    });
    await printed(proc, '(without it the page is read-only');
    expect(proc.out()).toContain(`http://127.0.0.1:${port}/a/gravito-quasar-app (role Editor)`);
    const signIn = new RegExp(`Sign in as Editor: (http://127\\.0\\.0\\.1:${port}/\\?token=\\S+)`);
    const url = signIn.exec(proc.out())?.[1];
    expect(url).toBeDefined();

    const app = `http://127.0.0.1:${port}/a/gravito-quasar-app`;
    expect(await (await fetch(app)).text()).toContain('"role":"Viewer"');
    const cookie = (await send(url!)).headers['set-cookie']![0]!.split(';')[0]!;
    expect((await send(app, { headers: { cookie } })).body).toContain('"role":"Editor"');
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('never prints a sign-in token given by QUASAR_SIGN_IN_TOKEN, and reads QUASAR_ALLOWED_HOSTS', async () => {
    const port = await freePort();
    const token = 'automation-secret-0123456789abcdef-xyz';
    const proc = run({
      QUASAR_COLLECTOR_URL: 'http://127.0.0.1:9',
      QUASAR_ROLE: 'Admin',
      QUASAR_SIGN_IN_TOKEN: token,
      QUASAR_ALLOWED_HOSTS: 'pulse.example.com, ops.example.com:8443',
      PORT: String(port),
    });
    await printed(proc, '(without it the page is read-only');
    expect(proc.out()).toContain(`/?token=<QUASAR_SIGN_IN_TOKEN>`);
    expect(proc.out()).not.toContain(token);
    const app = `http://127.0.0.1:${port}/a/gravito-quasar-app`;
    expect((await send(`${app}?token=${token}`)).status).toBe(302);
    expect((await send(app, { headers: { host: 'pulse.example.com' } })).status).toBe(200);
    expect((await send(app, { headers: { host: 'ops.example.com:8443' } })).status).toBe(200);
    expect((await send(app, { headers: { host: 'evil.example' } })).status).toBe(403);
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

  it('exits 2 naming QUASAR_SIGN_IN_TOKEN when it is too short, without repeating it', async () => {
    const proc = run({
      QUASAR_COLLECTOR_URL: 'http://127.0.0.1:9',
      QUASAR_SIGN_IN_TOKEN: 'hunter2',
    });
    expect(await proc.exited).toBe(2);
    expect(proc.err()).toMatch(/^quasar-pulse-web: QUASAR_SIGN_IN_TOKEN \(signInToken: /);
    expect(proc.err()).not.toContain('hunter2');
  });

  it('exits 2 when no collector URL is set', async () => {
    const proc = run({ QUASAR_COLLECTOR_URL: '' });
    expect(await proc.exited).toBe(2);
    expect(proc.err()).toContain('QUASAR_COLLECTOR_URL');
  });
});
