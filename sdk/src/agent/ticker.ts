/**
 * Runs a task every interval on an `unref()`'d timer. The next run is scheduled only after the
 * current one settles, so two runs never overlap, however slow one is.
 */
export class Ticker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private active = false;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
  ) {}

  /** Runs the task now (or joins the run in progress), then keeps the schedule. */
  start(): Promise<void> {
    this.active = true;
    return this.runNow();
  }

  /** One run; while a run is in progress, returns that run instead of starting another. */
  runNow(): Promise<void> {
    if (this.running) return this.running;
    const startedAt = performance.now();
    this.running = this.task()
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
        this.schedule(Math.max(0, this.intervalMs - (performance.now() - startedAt)));
      });
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (!this.active) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runNow(), delayMs);
    this.timer.unref();
  }

  /** Stops scheduling and waits for a run in progress to settle. */
  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
