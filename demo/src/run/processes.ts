/**
 * The demo's child processes: spawned with their output prefixed by name, stopped with SIGTERM
 * (SIGKILL after a grace period), and all waited for before the demo exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const STOP_GRACE_MS = 5000;

export interface Child {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code (or signal) when the process has exited. */
  readonly exited: Promise<string>;
  stop(): Promise<void>;
}

function prefixLines(
  stream: NodeJS.ReadableStream | null,
  name: string,
  out: NodeJS.WritableStream,
): void {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => out.write(`  [${name}] ${line}\n`));
}

/** Starts `command`; its output is shown as `[name] …` unless `quiet`. */
export function startChild(
  name: string,
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  quiet = false,
): Child {
  const child: ChildProcess = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', quiet ? 'ignore' : 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name} did not start (${command})`);
  prefixLines(child.stdout, name, process.stdout);
  prefixLines(child.stderr, name, process.stderr);
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  let stopping: Promise<void> | undefined;
  return {
    name,
    pid: child.pid,
    exited,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
