/**
 * Counts child processes started while a named phase runs. Every `child_process` entry point
 * is wrapped, plus `ChildProcess#spawn` for callers that kept a reference from before the
 * wrap. Only the outermost call counts, because `exec` goes through `execFile` and `execFile`
 * through `spawn`: one process, one count.
 */
import { ChildProcess } from 'node:child_process';
import type * as ChildProcessModule from 'node:child_process';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const ENTRY_POINTS = [
  'spawn',
  'spawnSync',
  'exec',
  'execSync',
  'execFile',
  'execFileSync',
  'fork',
] as const;

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type Patchable = Record<string | symbol, unknown>;

/** A child process start seen by the counter. */
export interface SpawnRecord {
  phase: string;
  /** The entry point called, e.g. `execFile`. */
  via: string;
  /** The program, when the first argument names it. */
  file: string;
}

/** Wraps `child_process` until `uninstall()`; attributes each start to the current phase. */
export class SpawnCounter {
  private phase = 'idle';
  private depth = 0;
  private readonly records: SpawnRecord[] = [];
  private readonly restores: Array<() => void> = [];

  /** Idempotent. Patches the module object itself, then re-syncs ESM named exports. */
  install(): void {
    if (this.restores.length > 0) return;
    // The live CommonJS exports object: a namespace import would be a frozen or copied view.
    const childProcess = createRequire(__filename)(
      'node:child_process',
    ) as typeof ChildProcessModule;
    for (const name of ENTRY_POINTS) this.wrap(childProcess, name, name);
    this.wrap(ChildProcess.prototype as unknown as Patchable, 'spawn', 'ChildProcess#spawn');
    syncBuiltinESMExports();
  }

  /** Restores the original functions. */
  uninstall(): void {
    for (const restore of this.restores.splice(0)) restore();
    syncBuiltinESMExports();
  }

  /** Runs `work` with its process starts attributed to `phase`. Phases must not overlap. */
  async during<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const outer = this.phase;
    this.phase = phase;
    try {
      return await work();
    } finally {
      this.phase = outer;
    }
  }

  /** Process starts seen during `phase`. */
  startsDuring(phase: string): SpawnRecord[] {
    return this.records.filter((record) => record.phase === phase);
  }

  private wrap(target: Patchable, key: string, via: string): void {
    const original = target[key];
    if (typeof original !== 'function') return;
    const call = (self: unknown, args: unknown[]): unknown => {
      if (this.depth === 0) this.record(via, args);
      this.depth++;
      try {
        return (original as AnyFunction).apply(self, args);
      } finally {
        this.depth--;
      }
    };
    // A `function`, not an arrow, so the caller's `this` (a ChildProcess) is passed through.
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      return call(this, args);
    };
    // `exec` and `execFile` carry a `util.promisify.custom` implementation; keep it reachable.
    for (const symbol of Object.getOwnPropertySymbols(original)) {
      (wrapped as unknown as Patchable)[symbol] = (original as unknown as Patchable)[symbol];
    }
    target[key] = wrapped;
    this.restores.push(() => (target[key] = original));
  }

  private record(via: string, args: unknown[]): void {
    const [first] = args;
    // `ChildProcess#spawn` takes an options object holding the file.
    const file =
      typeof first === 'string'
        ? first
        : typeof first === 'object' && first !== null && 'file' in first
          ? String(first.file)
          : '?';
    this.records.push({ phase: this.phase, via, file });
  }
}
