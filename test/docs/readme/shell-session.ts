/**
 * A reader's shell in the fresh copy: each README command runs in bash, as written, with the
 * session's environment; `export NAME=…` carries NAME on to the commands after it, as in a
 * terminal; a long-running command runs in its own process group and is stopped the way a
 * terminal stops one, with a signal to the whole group.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { delimiter } from 'node:path';

/** Keeps the tail of a chatty command's output bounded. */
const MAX_OUTPUT_CHARS = 1_000_000;
const STOP_GRACE_MS = 15_000;

/** How a command ended. */
export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A command still running in its own process group. */
export interface Running {
  /** stdout and stderr so far, interleaved. */
  output(): string;
  stdout(): string;
  exited: Promise<Finished>;
  /** Sends `signal` to the command's whole process group, as a terminal's Ctrl-C does. */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM to the group, then SIGKILL after a grace period. Idempotent. */
  stop(): Promise<Finished>;
}

/** Variables a developer's or CI's shell may hold that would change what the commands do. */
function leaksIntoCommands(name: string): boolean {
  if (name === 'QUASAR_CACHE_DIR') return false;
  return (
    /^(npm_|QUASAR_|OTEL_)/.test(name) ||
    ['INIT_CWD', 'NODE_ENV', 'JEST_WORKER_ID', 'REDIS_URL', 'PORT', 'HOST', 'DEMO_PORT'].includes(
      name,
    ) ||
    name === 'LOG_LEVEL'
  );
}

/**
 * A new reader's environment: this process's, without what the test runner and the outer npm
 * added (their `node_modules/.bin` on the PATH would hide a missing local bin) or Quasar
 * settings, and with npm told to use its cache before the registry.
 */
export function readerEnvironment(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !leaksIntoCommands(name)) env[name] = value;
  }
  env.PATH = (base.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !/node_modules[\\/]\.bin|node-gyp-bin/.test(dir))
    .join(delimiter);
  return {
    ...env,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

function capture(child: ChildProcess) {
  let all = '';
  let out = '';
  let err = '';
  const bound = (text: string) => text.slice(-MAX_OUTPUT_CHARS);
  child.stdout?.on('data', (chunk: Buffer) => {
    out = bound(out + chunk.toString());
    all = bound(all + chunk.toString());
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err = bound(err + chunk.toString());
    all = bound(all + chunk.toString());
  });
  const exited = new Promise<Finished>((resolve) => {
    child.on('error', (error) => {
      err += `\n[spawn error] ${error.message}\n`;
      resolve({ code: null, signal: null, stdout: out, stderr: err });
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
  });
  return { exited, output: () => all, stdout: () => out };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** One reader's shell session in `cwd`. */
export class ShellSession {
  readonly env: Record<string, string>;

  constructor(
    readonly cwd: string,
    env: Record<string, string> = readerEnvironment(),
  ) {
    this.env = { ...env };
  }

  /** Sets variables for the commands after this, as an `export` in the shell would. */
  export(vars: Record<string, string>): void {
    Object.assign(this.env, vars);
  }

  /**
   * Starts `command` in bash, in its own process group. `exports` names variables the command
   * exports; their values are kept for the commands after it.
   */
  start(
    command: string,
    options: { env?: Record<string, string>; exports?: string[] } = {},
  ): Running {
    const exports = options.exports ?? [];
    const report = exports.map((name) => `printf '%s=%s\\0' ${name} "$${name}" >&3`).join('\n');
    const child = spawn('bash', ['-c', `${command}\n${report}`], {
      cwd: this.cwd,
      env: { ...this.env, ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const { exited, output, stdout } = capture(child);
    let reported = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => (reported += chunk.toString()));
    const done = exited.then((finished) => {
      for (const entry of reported.split('\0').filter((e) => e !== '')) {
        const at = entry.indexOf('=');
        if (finished.code === 0) this.env[entry.slice(0, at)] = entry.slice(at + 1);
      }
      return finished;
    });
    let stopping: Promise<Finished> | undefined;
    return {
      output,
      stdout,
      exited: done,
      signal: (signal) => killGroup(child, signal),
      stop() {
        stopping ??= (async () => {
          killGroup(child, 'SIGTERM');
          const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
          const finished = await done;
          clearTimeout(timer);
          return finished;
        })();
        return stopping;
      },
    };
  }

  /** Runs `command` to its end; past `timeoutMs` its group is killed and this rejects. */
  async run(
    command: string,
    options: { env?: Record<string, string>; exports?: string[]; timeoutMs: number },
  ): Promise<Finished> {
    const running = this.start(command, options);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        running.signal('SIGKILL');
        reject(
          new Error(`timed out after ${options.timeoutMs} ms: ${command}\n${running.output()}`),
        );
      }, options.timeoutMs);
    });
    try {
      return await Promise.race([running.exited, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
