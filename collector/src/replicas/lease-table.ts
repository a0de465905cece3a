/**
 * The leases one replica holds, and the one pipeline per cycle that keeps them: renew those it
 * still wants, acquire the wanted ones it lacks, release those it no longer wants.
 *
 * A lease counts as held on the local monotonic clock too: until the send time of the renewal
 * that last succeeded, plus the TTL, minus a margin. Redis starts the TTL when the command
 * arrives, never before it was sent, so the local deadline always falls first; and a process
 * that was paused (SIGSTOP, a long GC, a frozen VM) past its TTL sees its leases lapsed as soon
 * as it runs again, before any reply from Redis.
 */
import type { RedisClient } from '@gravito/quasar';
import { execPerKey } from '../redis/slot-groups';
import { leasePipeline, queueAcquire, queueRelease, queueRenew } from './lease-commands';

/**
 * The share of the TTL kept as margin: room for an export built just before the deadline to
 * reach the receiver, and for the two clocks' rates to differ.
 */
export const LEASE_MARGIN_FRACTION = 0.1;

/** What one step changed, by lease key. */
export interface LeaseStep {
  /** Leases acquired in this step. */
  acquired: string[];
  /** Leases held that turned out not to be this replica's any more (renewal returned 0). */
  lost: string[];
  /** Leases given back because they are no longer wanted. */
  released: string[];
  /**
   * Leases this replica held all along but did not count as held until this step (a renewal
   * that erred, or a pause past the local deadline): what it skipped meanwhile was not exported.
   */
  regained: string[];
  /** Renewals that returned 0 or failed. */
  renewalFailures: number;
  /** The first error Redis gave in the step, if any. */
  error?: unknown;
}

interface Held {
  /** Local monotonic time until which the lease counts as held, ms. */
  validUntil: number;
  /** False while an acquisition's outcome is unknown (its reply was an error). */
  confirmed: boolean;
}

type Operation = 'acquire' | 'renew' | 'release';

export class LeaseTable {
  private readonly held = new Map<string, Held>();
  private readonly marginMs: number;

  constructor(
    private readonly client: RedisClient,
    /** This process's token: what its leases hold. */
    readonly token: string,
    readonly ttlMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.marginMs = Math.ceil(ttlMs * LEASE_MARGIN_FRACTION);
  }

  /** Whether the lease `key` is held now, by the local clock. */
  valid(key: string): boolean {
    const held = this.held.get(key);
    return held !== undefined && this.now() < held.validUntil;
  }

  /** The keys held, valid now or not (their renewal would tell). */
  heldKeys(): string[] {
    return [...this.held.keys()];
  }

  /** The keys held now, by the local clock. */
  validKeys(): string[] {
    const now = this.now();
    const keys: string[] = [];
    for (const [key, held] of this.held) if (now < held.validUntil) keys.push(key);
    return keys;
  }

  /**
   * One round trip: renews the held leases in `wanted`, acquires the others, and releases the
   * held leases not in `wanted`. Never throws: an error stops the lease counting as held.
   */
  async step(wanted: ReadonlySet<string>): Promise<LeaseStep> {
    const out: LeaseStep = {
      acquired: [],
      lost: [],
      released: [],
      regained: [],
      renewalFailures: 0,
    };
    const operations: Array<[string, Operation]> = [];
    for (const key of wanted) operations.push([key, this.held.has(key) ? 'renew' : 'acquire']);
    for (const key of this.held.keys()) if (!wanted.has(key)) operations.push([key, 'release']);
    if (operations.length === 0) return out;
    const sentAt = this.now();
    const replies = await execPerKey(
      this.client,
      operations.map(([key]) => key),
      () => leasePipeline(this.client),
      (pipeline, i) => {
        const [key, operation] = operations[i] as [string, Operation];
        if (operation === 'renew') queueRenew(pipeline, key, this.token, this.ttlMs);
        else if (operation === 'acquire') queueAcquire(pipeline, key, this.token, this.ttlMs);
        else queueRelease(pipeline, key, this.token);
      },
    );
    const validUntil = sentAt + this.ttlMs - this.marginMs;
    operations.forEach(([key, operation], i) => {
      const [error, value] = replies[i] ?? [new Error('no reply'), null];
      if (error) out.error ??= error;
      this.apply(key, operation, error ? undefined : value, sentAt, validUntil, out);
    });
    return out;
  }

  /** Applies one reply (undefined: an error) to the table. */
  private apply(
    key: string,
    operation: Operation,
    reply: unknown,
    sentAt: number,
    validUntil: number,
    out: LeaseStep,
  ): void {
    const held = this.held.get(key);
    if (operation === 'acquire') {
      if (reply === 'OK') {
        this.held.set(key, { validUntil, confirmed: true });
        out.acquired.push(key);
      } else if (reply === undefined) {
        // The SET may have landed: held but not valid, so the next step renews it if it did.
        this.held.set(key, { validUntil: -Infinity, confirmed: false });
      }
      return;
    }
    if (!held) return;
    if (operation === 'renew') {
      if (reply === 1) {
        if (!held.confirmed) out.acquired.push(key);
        else if (held.validUntil <= sentAt) out.regained.push(key);
        held.validUntil = validUntil;
        held.confirmed = true;
        return;
      }
      if (held.confirmed) out.renewalFailures++;
      if (reply === undefined) {
        // Unknown: stop exporting now, renew again next step.
        held.validUntil = -Infinity;
        return;
      }
      this.held.delete(key);
      if (held.confirmed) out.lost.push(key);
      return;
    }
    if (reply === undefined) {
      held.validUntil = -Infinity; // given up locally; the next step tries the release again
      return;
    }
    this.held.delete(key);
    if (reply === 1) out.released.push(key);
  }

  /** Releases every lease held, in one round trip. Never throws; resolves with the count. */
  async releaseAll(): Promise<number> {
    const keys = [...this.held.keys()];
    this.held.clear();
    if (keys.length === 0) return 0;
    const replies = await execPerKey(
      this.client,
      keys,
      () => leasePipeline(this.client),
      (pipeline, i) => queueRelease(pipeline, keys[i] as string, this.token),
    );
    return replies.filter(([error, value]) => !error && value === 1).length;
  }
}
