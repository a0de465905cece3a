/**
 * Closed minutes of one BullMQ queue's history (`QueuePeriod`, `source: 'events'`), counted
 * from the same events-stream entries as the rates (`./events-throughput.ts`): `added` is
 * `in`, `completed` and `failed` are `completed` and `failed`. Retries are not counted: the
 * stream cannot tell a failed attempt that will run again (`delayed`, or `waiting` with prev
 * `active`) from a rate limit, a manual delay or a stalled job moved back.
 *
 * A minute is the span `[m × 60,000, (m + 1) × 60,000)` of the stream's ids (`ms-seq`, the
 * clock of the stream's Redis node). It is reported only when this node counted all of it,
 * which makes the report the same on every node that does:
 * - its counting covered the minute from its start: the counting (re)started at an id at or
 *   before the minute's first, and no gap came since (a gap drops the minute it falls in);
 * - the stream was read past its end: every entry with an id before the minute's end was read.
 *
 * Only the minute still open is tallied: every entry read is before the point the stream was
 * read through, so the minutes before that point are closed and the entries read lie in the
 * minute that holds it or before. Closed minutes with no event are left out (they add nothing
 * to a counter), so the last `MAX_EVENTS_PERIODS` kept reach further back on a quiet queue.
 */
import type { QueuePeriod } from '../../../schema';
import type { StreamEvent } from './stream-reply';

/** The span of one period: a minute of the stream's clock. */
export const PERIOD_MS = 60_000;
/** Closed periods kept and reported per queue, the newest (the schema's share per source). */
export const MAX_EVENTS_PERIODS = 5;

/** What one minute counted. */
interface Minute {
  readonly index: number;
  in: number;
  completed: number;
  failed: number;
}

/** Ids past this ms (only explicit ids can be) would give period bounds past safe integers. */
const LAST_MS = BigInt(Number.MAX_SAFE_INTEGER - PERIOD_MS);

/** The minute of an id; undefined past `LAST_MS`. */
const minuteOf = (id: StreamEvent['id']): number | undefined =>
  id.ms > LAST_MS ? undefined : Number(id.ms / BigInt(PERIOD_MS));

/** The periods of one queue's events stream; one per probe. */
export class EventsPeriods {
  /**
   * The first minute that may still be counted: counting covered it from its start and it is
   * not closed. `Infinity` until counting starts.
   */
  private firstOpen = Infinity;
  /** The tally of the one minute open, or undefined while it saw no event (never reported). */
  private open: Minute | undefined;
  private readonly closed: QueuePeriod[] = [];

  /**
   * Counting (re)starts: from now on every entry with an id at `fromMs` or later is counted.
   * The minute open is dropped: entries of it may have gone uncounted.
   */
  restart(fromMs: number): void {
    this.open = undefined;
    this.firstOpen = Math.max(0, Math.ceil(fromMs / PERIOD_MS));
  }

  /**
   * Counts one read's entries (the next after those counted before, in order) and closes the
   * minutes that end at or before `readThroughMs`: every entry with an id before it is read.
   */
  take(events: readonly StreamEvent[], readThroughMs: number): void {
    for (const { id, event } of events) {
      if (event !== 'added' && event !== 'completed' && event !== 'failed') continue;
      const index = minuteOf(id);
      // Before the counting covered it, or closed already (a Redis clock stepped back).
      if (index === undefined || index < this.firstOpen) continue;
      // Ids only grow: an entry of a later minute closes the one open.
      if (this.open && this.open.index !== index) this.close(this.open);
      this.firstOpen = index;
      this.open ??= { index, in: 0, completed: 0, failed: 0 };
      this.open[event === 'added' ? 'in' : event]++;
    }
    const firstOpen = Math.floor(readThroughMs / PERIOD_MS);
    if (firstOpen <= this.firstOpen) return;
    this.firstOpen = firstOpen;
    if (this.open && this.open.index < firstOpen) this.close(this.open);
  }

  /** The closed periods kept, oldest first. */
  get periods(): QueuePeriod[] {
    return this.closed.map((period) => ({ ...period }));
  }

  private close(minute: Minute): void {
    this.open = undefined;
    this.closed.push({
      startMs: minute.index * PERIOD_MS,
      endMs: (minute.index + 1) * PERIOD_MS,
      in: minute.in,
      completed: minute.completed,
      failed: minute.failed,
      source: 'events',
    });
    if (this.closed.length > MAX_EVENTS_PERIODS) this.closed.shift();
  }
}
