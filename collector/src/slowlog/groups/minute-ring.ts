/**
 * A group's sparkline: the count and the longest duration of its entries per minute, over the
 * last `MINUTES` minutes, in a fixed ring. A slot knows which minute it holds, so a slot not
 * written for an hour reads as empty without ever being swept.
 */

/** Minutes the sparkline covers. */
export const MINUTES = 60;
const MINUTE_MS = 60_000;

/** The sparkline as the API returns it: oldest minute first, `MINUTES` points. */
export interface Sparkline {
  /** The start of the oldest minute, epoch ms. */
  startMs: number;
  /** Each point's width, ms. */
  stepMs: number;
  counts: number[];
  /** The longest duration of each minute, ms; 0 for a minute with no entry. */
  maxMs: number[];
}

/** Counts and maxima per minute over the last hour. */
export class MinuteRing {
  private readonly minutes = new Float64Array(MINUTES).fill(-1);
  private readonly counts = new Uint32Array(MINUTES);
  private readonly maxima = new Float64Array(MINUTES);

  /**
   * Counts an entry that finished at `timestampMs` (the agent's clock); one stamped after
   * `nowMs` (a clock ahead of the collector's) counts in the current minute, one older than the
   * window in none.
   */
  record(timestampMs: number, durationMs: number, nowMs: number): void {
    const now = Math.floor(nowMs / MINUTE_MS);
    const minute = Math.min(Math.floor(timestampMs / MINUTE_MS), now);
    if (minute <= now - MINUTES) return;
    const slot = minute % MINUTES;
    if (this.minutes[slot] !== minute) {
      this.minutes[slot] = minute;
      this.counts[slot] = 0;
      this.maxima[slot] = 0;
    }
    this.counts[slot]! += 1;
    if (durationMs > this.maxima[slot]!) this.maxima[slot] = durationMs;
  }

  /** The last `MINUTES` minutes up to the one holding `nowMs`. */
  read(nowMs: number): Sparkline {
    const now = Math.floor(nowMs / MINUTE_MS);
    const counts: number[] = [];
    const maxMs: number[] = [];
    for (let minute = now - MINUTES + 1; minute <= now; minute++) {
      const slot = ((minute % MINUTES) + MINUTES) % MINUTES;
      const held = this.minutes[slot] === minute;
      counts.push(held ? this.counts[slot]! : 0);
      maxMs.push(held ? this.maxima[slot]! : 0);
    }
    return { startMs: (now - MINUTES + 1) * MINUTE_MS, stepMs: MINUTE_MS, counts, maxMs };
  }

  /** Bytes held by the ring. */
  get bytes(): number {
    return this.minutes.byteLength + this.counts.byteLength + this.maxima.byteLength;
  }
}
