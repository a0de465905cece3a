/**
 * Streams this consumer has just come to own. What their previous owner read and never
 * acknowledged (it died, or its export failed after it let go) is claimed once idle for the
 * acquisition's `claimIdleMs`, far sooner than the periodic reclaim, and read from this
 * consumer's pending list before any new entry of the stream: new entries of an acquired stream
 * are read only once no other consumer holds one of its entries.
 */
import type { RedisClient } from '@gravito/quasar';
import { claimStep } from './group-commands';
import { isStreamError } from './stream-errors';

interface Acquisition {
  readonly minIdleMs: number;
  /** Where the next XAUTOCLAIM goes on: `0-0` starts a new pass over the pending entries. */
  cursor: string;
}

/** What a claim pass needs of the consumer. */
export interface ClaimContext {
  client: RedisClient;
  group: string;
  consumer: string;
  /** Most entries one XAUTOCLAIM claims, per stream. */
  batchSize: number;
  /** A stream refused the claim (deleted, not a stream): set it aside until its group is back. */
  setAside: (key: string, error: unknown) => void;
}

/** The acquisitions still open, by stream key (see the file comment). */
export class Acquisitions {
  private readonly open = new Map<string, Acquisition>();

  /** Opens (or opens again) the acquisition of `key`. */
  start(key: string, minIdleMs: number): void {
    this.open.set(key, { minIdleMs, cursor: '0-0' });
  }

  /** Closes the acquisitions of streams that are no longer owned. */
  retain(owned: (key: string) => boolean): void {
    for (const key of this.open.keys()) if (!owned(key)) this.open.delete(key);
  }

  /** Whether new entries of `key` must wait: its acquisition is still open. */
  waiting(key: string): boolean {
    return this.open.has(key);
  }

  get size(): number {
    return this.open.size;
  }

  /**
   * One claim step on each open acquisition among `readable` (streams with a group), in one
   * round trip: XAUTOCLAIM from its cursor (at most `batchSize` entries idle for `minIdleMs`),
   * then how many entries other consumers still hold. An acquisition closes once none are left.
   * With `final` (a drain, which never waits) it goes on until the pass over the pending entries
   * has ended, and closes then whatever other consumers still hold. Resolves with the number of
   * entries claimed into this consumer's pending list.
   */
  async claim(ctx: ClaimContext, readable: readonly string[], final = false): Promise<number> {
    let claimed = 0;
    let due = readable.filter((key) => this.open.has(key));
    while (due.length > 0) {
      const requests = due.map((key) => ({ key, ...this.open.get(key)! }));
      const results = await claimStep(ctx.client, requests, ctx.group, ctx.consumer, ctx.batchSize);
      const next: string[] = [];
      for (const [key, result] of results) {
        if (result instanceof Error) {
          if (!isStreamError(result)) throw result;
          ctx.setAside(key, result);
          continue;
        }
        claimed += result.claimed;
        const acquisition = this.open.get(key);
        if (!acquisition) continue; // no longer owned since
        acquisition.cursor = result.cursor;
        const passEnded = result.cursor === '0-0';
        if (result.othersPending === 0 || (final && passEnded)) this.open.delete(key);
        else if (final) next.push(key);
      }
      due = next;
    }
    return claimed;
  }
}
