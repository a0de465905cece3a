/**
 * Whether the cycle loop is healthy, for `/readyz` and the log. An outage is logged when it
 * starts and when it ends; a new outage within a minute of the last one's start is only counted,
 * and reported with the next failure logged, so a loop that fails every other cycle writes two
 * lines a minute, not one every two seconds.
 */

/** At most one "cycle failed" line per this many ms. */
export const FAILURE_LOG_INTERVAL_MS = 60_000;
/** Failed cycles in a row after which the collector stops calling itself ready. */
export const UNREADY_AFTER_FAILURES = 3;

/** What a change of health needs to say. */
export interface HealthLogger {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** The collector's readiness as `/readyz` reports it. */
export interface Readiness {
  ready: boolean;
  /** Cycles that failed in a row; 0 after a good one. */
  failingCycles: number;
  /** Why the latest failed cycle failed, while cycles are failing. */
  lastError?: string;
  /** When the last good cycle ended, ms since the process started (performance.now()). */
  lastGoodAtMs?: number;
}

export class CycleHealth {
  private failingInARow = 0;
  /** Failures since the last "cycle failed" line. */
  private unreported = 0;
  /** When the last "cycle failed" line was written. */
  private lastLoggedAtMs = -Infinity;
  /** A "cycle failed" line was written and no "cycles resumed" yet. */
  private logged = false;
  private lastError: string | undefined;
  private lastGoodAtMs: number | undefined;

  constructor(
    private readonly logger: HealthLogger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records a good cycle; logs the end of an outage whose start was logged. */
  succeeded(): void {
    if (this.logged && this.failingInARow > 0) {
      this.logger.info({ failedCycles: this.failingInARow }, 'cycles resumed');
      this.logged = false;
    }
    this.failingInARow = 0;
    this.lastGoodAtMs = this.now();
    this.lastError = undefined;
  }

  /** Records a failed cycle; logs it when no failure was logged in the last minute. */
  failed(error: string): void {
    this.failingInARow++;
    this.unreported++;
    this.lastError = error;
    const now = this.now();
    if (this.logged || now - this.lastLoggedAtMs < FAILURE_LOG_INTERVAL_MS) return;
    const earlier = this.unreported - 1;
    this.logger.error(
      earlier > 0 ? { err: error, failedCyclesSinceLastLine: earlier } : { err: error },
      'cycle failed; retrying every cycle',
    );
    this.unreported = 0;
    this.lastLoggedAtMs = now;
    this.logged = true;
  }

  /** Ready while the latest cycles succeed; not ready after `UNREADY_AFTER_FAILURES` in a row. */
  readiness(): Readiness {
    return {
      ready: this.failingInARow < UNREADY_AFTER_FAILURES,
      failingCycles: this.failingInARow,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
      ...(this.lastGoodAtMs === undefined ? {} : { lastGoodAtMs: this.lastGoodAtMs }),
    };
  }
}
