/**
 * Helpers for the sidecar tests: a `SidecarIO` that records output and delivers signals on
 * demand, a real process that looks like a Laravel queue worker, and the built bin.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SidecarIO } from '../../src/sidecar/main';

/** The built bin; `npm test` builds it first (the `pretest` script). */
export const BIN = join(__dirname, '..', '..', 'dist', 'bin', 'quasar-agent.js');

/** The proc-laravel fixture (see its README). */
const PROC_LARAVEL = join(__dirname, '..', 'fixtures', 'proc-laravel');

/**
 * A writable host root holding the proc-laravel tree, with each `proc/<pid>/cwd` made a real
 * symbolic link from `cwd-links.json`. The repository keeps no links: tools that walk the test
 * folder (tsc, eslint) would follow `/` and the app paths into the machine's own filesystem.
 */
export function procLaravelRoot(): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'quasar-proc-'));
  cpSync(join(PROC_LARAVEL, 'proc'), join(root, 'proc'), { recursive: true });
  const links = JSON.parse(readFileSync(join(PROC_LARAVEL, 'cwd-links.json'), 'utf8')) as Record<
    string,
    string
  >;
  for (const [pid, target] of Object.entries(links)) {
    symlinkSync(target, join(root, 'proc', pid, 'cwd'));
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** A `SidecarIO` that keeps what is written and lets the test send stop signals. */
/** The signal listeners of every recorder still subscribed: a sidecar still running. */
const running = new Set<Set<(signal: string) => void>>();

/**
 * Sends SIGTERM to every sidecar a test left running (one whose test failed before its own
 * signal), so a failure cannot keep Jest from exiting.
 */
export function stopLeftRunning(): void {
  for (const listeners of running) [...listeners].forEach((l) => l('SIGTERM'));
}

export function recordingIO(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const listeners = new Set<(signal: string) => void>();
  running.add(listeners);
  const io: SidecarIO = {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    onSignal(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    readFile(path) {
      const text = files[path];
      if (text === undefined) {
        throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      }
      return text;
    },
  };
  return {
    io,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    signal: (name: string) => [...listeners].forEach((l) => l(name)),
    subscribers: () => listeners.size,
  };
}

/** A running child process. */
export interface Child {
  child: ChildProcess;
  output(): string;
  /** Resolves when it exits, with its code (null when a signal ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `command` with exactly `env` (plus PATH) and its output captured. */
export function spawnChild(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Runs the built bin with exactly these variables. */
export function spawnBin(args: readonly string[], env: Record<string, string> = {}): Child {
  return spawnChild(process.execPath, [BIN, ...args], { env });
}

/** A fake Laravel queue worker, and where it runs. */
export interface FakeWorker extends Child {
  pid: number;
  /** Its working directory, the Laravel root the scan should report (symlinks resolved). */
  appDir: string;
  stop(): Promise<void>;
}

/**
 * Starts a real process whose /proc entry reads `…/php artisan queue:work redis
 * --queue=default`: Node, run through a link named `php`, executing a script named `artisan`
 * from the app directory. It idles until stopped.
 */
export function spawnFakePhpWorker(): FakeWorker {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'quasar-laravel-')));
  const appDir = join(dir, 'app');
  mkdirSync(appDir);
  mkdirSync(join(dir, 'bin'));
  const php = join(dir, 'bin', 'php');
  symlinkSync(process.execPath, php);
  writeFileSync(join(appDir, 'artisan'), 'setInterval(() => undefined, 1000);\n');
  const worker = spawnChild(php, ['artisan', 'queue:work', 'redis', '--queue=default'], {
    cwd: appDir,
  });
  const pid = worker.child.pid;
  if (pid === undefined) throw new Error('the fake worker did not start');
  return {
    ...worker,
    pid,
    appDir,
    async stop() {
      if (worker.child.exitCode === null && worker.child.signalCode === null) {
        worker.child.kill('SIGKILL');
        await worker.exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
