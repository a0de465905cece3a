/**
 * Counts skipped heartbeats and logs each bad key once (again only if its reason changes),
 * so a broken agent does not flood the log every cycle.
 */
export type RejectReason = 'oversized' | 'invalid';

export interface RejectionLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export class Rejections {
  private readonly current = new Map<string, string>();
  /** Skipped payloads by reason, since start. */
  readonly totals: Record<RejectReason, number> = { oversized: 0, invalid: 0 };

  constructor(private readonly logger: RejectionLogger) {}

  reject(key: string, reason: RejectReason, detail: string): void {
    this.totals[reason]++;
    const text = `${reason}: ${detail}`;
    if (this.current.get(key) === text) return;
    this.current.set(key, text);
    this.logger.warn({ key, reason, detail }, 'skipping heartbeat');
  }

  /** The key is readable again (or gone): a new failure is logged again. */
  clear(key: string): void {
    this.current.delete(key);
  }

  /** Keys currently failing. */
  get failing(): number {
    return this.current.size;
  }
}
