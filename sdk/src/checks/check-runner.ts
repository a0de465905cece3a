/**
 * Runs the availability checks off the heartbeat path: each on its own `unref()`'d schedule,
 * never overlapping itself, and keeps the latest result of each for the next heartbeat.
 */
import { Ticker } from '../agent/ticker';
import type { QuasarLogger } from '../options/types';
import type { CheckResult } from '../schema/heartbeat';
import { resolveCheck } from './check-options';
import type { ResolvedCheck } from './check-options';
import { runHttpCheck } from './http-check';
import { errorText, runTcpCheck } from './tcp-check';

interface Entry {
  readonly check: ResolvedCheck;
  readonly ticker: Ticker;
  latest?: CheckResult;
  /** Whether an unexpected error of this check was already logged. */
  reported: boolean;
}

/**
 * The agent's availability checks. Nothing here throws into the host once a check is added:
 * a failing target is a result, and an unexpected error is logged once and reported as down.
 */
export class CheckRunner {
  /** By name; a Map keeps registration order, and a replaced check keeps its place. */
  private readonly entries = new Map<string, Entry>();
  /** Replaced checks whose run in flight has not settled yet, awaited by `stop()`. */
  private readonly retiring = new Set<Promise<void>>();
  private started = false;

  constructor(private readonly logger: QuasarLogger) {}

  /**
   * Registers a check, replacing any check of the same name (and its latest result). After
   * `start()`, the check runs at once.
   * @throws QuasarConfigError naming the invalid option (`name` for an invalid name).
   */
  add(name: string, options: unknown): void {
    const check = resolveCheck(name, options);
    const previous = this.entries.get(check.name);
    if (previous) this.retire(previous);
    const entry = this.entryFor(check);
    this.entries.set(check.name, entry);
    if (this.started) void entry.ticker.start();
  }

  /** Runs every check now, then each every `intervalMs`. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const entry of this.entries.values()) void entry.ticker.start();
  }

  /** Stops scheduling and waits for the runs in flight (each bounded by its deadline). Idempotent. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([
      ...[...this.entries.values()].map((e) => e.ticker.stop()),
      ...this.retiring,
    ]);
  }

  /** Runs every check once now (joining a run already in flight) and waits for the results. */
  async runNow(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.ticker.runNow()));
  }

  /** The latest result of each check that has run, in registration order. */
  results(): CheckResult[] {
    const out: CheckResult[] = [];
    for (const entry of this.entries.values()) if (entry.latest) out.push({ ...entry.latest });
    return out;
  }

  private entryFor(check: ResolvedCheck): Entry {
    const entry: Entry = {
      check,
      ticker: new Ticker(check.intervalMs, async () => {
        entry.latest = await this.runOnce(entry);
      }),
      reported: false,
    };
    return entry;
  }

  private async runOnce(entry: Entry): Promise<CheckResult> {
    const { check } = entry;
    const checkedAt = Date.now();
    try {
      return await (check.type === 'http' ? runHttpCheck(check) : runTcpCheck(check));
    } catch (error) {
      // The runs resolve every failure of the target; reaching here is a bug, logged once.
      if (!entry.reported) {
        entry.reported = true;
        try {
          this.logger.error(
            `check ${JSON.stringify(check.name)} could not run: ${errorText(error)}`,
          );
        } catch {
          // A throwing logger must not break the schedule either.
        }
      }
      return {
        name: check.name,
        type: check.type,
        target: check.target,
        up: false,
        latencyMs: 0,
        error: errorText(error),
        checkedAt,
      };
    }
  }

  private retire(entry: Entry): void {
    const stopped: Promise<void> = entry.ticker.stop().finally(() => this.retiring.delete(stopped));
    this.retiring.add(stopped);
  }
}
