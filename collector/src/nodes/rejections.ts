/**
 * Counts skipped heartbeats and logs each bad key once (again only if its reason changes),
 * so a broken agent does not flood the log every cycle.
 */
/**
 * `oversized`: over `--max-payload-bytes`, left unread. `invalid`: not a valid payload.
 * `mismatch`: a heartbeat whose body names another node than its key (impersonation).
 * `index`: a node index member that is not a heartbeat key.
 */
export type RejectReason = 'oversized' | 'invalid' | 'mismatch' | 'index';

export interface RejectionLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** Failing keys remembered for log de-duplication; beyond it the oldest are forgotten. */
export const MAX_TRACKED = 10_000;

/** Longest key or detail written to the log: a hostile key may be megabytes long. */
const LOGGED_LENGTH = 200;

const shown = (text: string) =>
  text.length > LOGGED_LENGTH
    ? `${text.slice(0, LOGGED_LENGTH)}… (${text.length} characters)`
    : text;

export class Rejections {
  private readonly current = new Map<string, string>();
  /** Skipped payloads by reason, since start. */
  readonly totals: Record<RejectReason, number> = {
    oversized: 0,
    invalid: 0,
    mismatch: 0,
    index: 0,
  };

  constructor(private readonly logger: RejectionLogger) {}

  /** Counts a rejected payload, and logs it unless `key` failed the same way last time. */
  reject(key: string, reason: RejectReason, detail: string): void {
    this.totals[reason]++;
    this.note(key, reason, detail);
  }

  /**
   * Counts and logs a rejection only when `key` did not fail the same way last time: for data
   * read again every cycle whether it changed or not (a queue hash's fields).
   */
  rejectOnce(key: string, reason: RejectReason, detail: string): void {
    if (this.current.get(key) === `${reason}: ${detail}`) return;
    this.reject(key, reason, detail);
  }

  private note(key: string, reason: RejectReason, detail: string): void {
    const text = `${reason}: ${detail}`;
    if (this.current.get(key) === text) return;
    if (!this.current.has(key) && this.current.size >= MAX_TRACKED) {
      // The oldest failing key is forgotten: at worst it is logged once more.
      this.current.delete(this.current.keys().next().value as string);
    }
    this.current.set(key, text);
    this.logger.warn({ key: shown(key), reason, detail: shown(detail) }, 'skipping payload');
  }

  /** Counts `count` rejections that are not tied to a key that could recover. */
  count(reason: RejectReason, count: number): void {
    this.totals[reason] += count;
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
