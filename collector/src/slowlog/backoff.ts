/**
 * The consumer's wait after failures: doubling from 500 ms to 30 s, reset by the first step that
 * succeeds. A wait can be cut short (stop, or Redis reconnecting), so a long outage never leaves
 * the consumer asleep for the cap after its cause is gone.
 */

const FIRST_MS = 500;
/** Longest wait between tries: bounds the error log to one line per 30 s during an outage. */
export const MAX_BACKOFF_MS = 30_000;

/** A doubling wait that the next success resets and that can be cut short. */
export class Backoff {
  private ms = 0;
  private wake: (() => void) | undefined;

  /** The wait the next `pause()` takes, ms; 0 after a success. */
  get currentMs(): number {
    return this.ms;
  }

  /** One more failure: the next wait doubles. */
  fail(): void {
    this.ms = Math.min(MAX_BACKOFF_MS, Math.max(FIRST_MS, this.ms * 2));
  }

  /** A success: the next failure starts from the first wait again. */
  reset(): void {
    this.ms = 0;
  }

  /** Waits the current back-off (nothing after a success). */
  pause(): Promise<void> {
    return this.ms > 0 ? this.sleep(this.ms) : Promise.resolve();
  }

  /** Waits `ms` unless interrupted; never holds the process open. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wake = done;
    });
  }

  /** Ends the current wait now, if there is one. */
  interrupt(): void {
    this.wake?.();
  }
}
