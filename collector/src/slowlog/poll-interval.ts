/**
 * How long the consumer waits between reads of new entries on a Redis Cluster, where it cannot
 * block: a BLOCK covers one command, and one command covers one slot. Each empty read doubles
 * the wait, from 25 ms up to a cap; a read that returns entries goes on at once and starts the
 * doubling afresh. A busy fleet is read as fast as it writes, an idle one costs one
 * non-blocking read per slot with a stream per cap (a few hundred ms), and an entry written
 * after a quiet spell waits at most that cap.
 */

const FIRST_MS = 25;

/** The wait after each empty read, doubling up to a cap (see the file comment). */
export class PollInterval {
  private ms = 0;

  constructor(private readonly capMs: number) {}

  /** A read returned entries: the next empty one waits the shortest time again. */
  reset(): void {
    this.ms = 0;
  }

  /** A read came back empty: how long to wait before the next one, ms. */
  next(): number {
    this.ms = Math.min(this.capMs, this.ms === 0 ? FIRST_MS : this.ms * 2);
    return this.ms;
  }
}
