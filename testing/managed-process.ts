/**
 * The lifecycle shared by the real servers the tests start (collector, Prometheus): spawn with
 * output captured for diagnostics, wait for readiness while watching for an early exit, and stop
 * gracefully with a forced kill as the last resort.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';

/** Keeps the tail of a chatty process's output bounded. */
const MAX_OUTPUT_CHARS = 1_000_000;
const POLL_INTERVAL_MS = 50;
const STOP_GRACE_MS = 5_000;

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number | undefined;
  /** Everything the process wrote to stdout and stderr so far (tail-bounded). */
  output(): string;
  /** True while the process has not exited. */
  alive(): boolean;
  /** SIGTERM, then SIGKILL after a grace period; removes `cleanupDir`. Idempotent. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Name used in error messages, e.g. `otelcol`. */
  name: string;
  /** A temporary directory owned by this process, removed on `stop()`. */
  cleanupDir?: string;
  /** Variables added to (or overriding) this process's environment. */
  env?: Record<string, string>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns `command` with its output captured. */
export function spawnManaged(
  command: string,
  args: readonly string[],
  options: SpawnOptions,
): ManagedProcess {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let output = '';
  const capture = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > MAX_OUTPUT_CHARS) output = output.slice(-MAX_OUTPUT_CHARS);
  };
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);
  child.on('error', (error) => capture(Buffer.from(`\n[spawn error] ${error.message}\n`)));
  let stopping: Promise<void> | undefined;
  return {
    name: options.name,
    pid: child.pid,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null && child.pid !== undefined,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          timer.unref();
          await exited(child);
          clearTimeout(timer);
        }
        if (options.cleanupDir) rmSync(options.cleanupDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

/**
 * Polls `check` until it holds. Fails early, with the captured output, if the process exits;
 * on failure the process is stopped so a broken start never leaks a server.
 */
export async function waitUntilReady(
  proc: ManagedProcess,
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  try {
    while (Date.now() < until) {
      if (!proc.alive()) throw new Error(`${proc.name} exited before ${what}`);
      if ((await check()) && proc.alive()) return;
      await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  } catch (error) {
    await proc.stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}\n--- ${proc.name} output ---\n${proc.output()}`);
  }
}

/** True when something accepts TCP connections on `127.0.0.1:port`. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
