/** The demo's Redis: `REDIS_URL` when set, else a private `redis-server` on a free port. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startChild, type Child } from './processes';
import { freePort } from './ports';

export const REDIS_INSTALL = [
  'redis-server is not on the PATH. Install it, or set REDIS_URL to a Redis you own:',
  '  sudo apt-get install -y redis-server   # Debian/Ubuntu',
  '  brew install redis                     # macOS',
].join('\n');

export interface DemoRedis {
  url: string;
  /** The private server, when the demo started one. */
  child?: Child;
  stop(): Promise<void>;
}

function onPath(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return;
    } catch (error) {
      client.disconnect();
      if (Date.now() > until) throw new Error(`Redis at ${url} did not answer: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Throws {@link REDIS_INSTALL} when there is neither `REDIS_URL` nor `redis-server`. */
export async function startDemoRedis(): Promise<DemoRedis> {
  const given = process.env.REDIS_URL;
  if (given) {
    await waitForPing(given, 5000);
    return { url: given, stop: () => Promise.resolve() };
  }
  if (!onPath('redis-server')) throw new Error(REDIS_INSTALL);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'quasar-demo-redis-'));
  const child = startChild(
    'redis',
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    {},
    true,
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitForPing(url, 10_000);
  return {
    url,
    child,
    async stop() {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
