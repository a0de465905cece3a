/**
 * The streams a consumer reads and its standing in each one's group: which streams it owns,
 * which groups exist, which streams are set aside for now, and the housekeeping around the
 * reads (claiming what a stream's previous owner or a dead replica left pending, deleting dead
 * consumers, leaving the groups at stop).
 *
 * A service's stream may be in either key layout: `gravito:quasar:slow:svc` (v1) or
 * `gravito:quasar:slow:{svc}` (v2, the cluster layout), or both while its agents move from one
 * to the other. Owning a service means owning both keys; a key with no stream behind it is
 * tried again every few seconds in the same round trip as the others, never read.
 */
import type { RedisClient } from '@gravito/quasar';
import { KEY_LAYOUTS, serviceKeys } from '@gravito/quasar/schema';
import { deleteIdleConsumers, retireConsumer } from './consumer-scripts';
import type { SlowLogConsumerOptions, SlowLogCounts } from './consumer-types';
import { Acquisitions } from './acquisitions';
import type { ClaimContext } from './acquisitions';
import { claimIdle, createGroups, groupBacklog } from './group-commands';
import { isStreamError } from './stream-errors';

/** How long a stream that did not exist (or was not a stream) waits before another try. */
const GROUP_RETRY_MS = 5_000;
const DEFAULT_CONSUMER_EXPIRY_MS = 3_600_000;

type MembershipCounts = Pick<
  SlowLogCounts,
  'reclaimed' | 'claimedOnAcquire' | 'handedBack' | 'deletedConsumers' | 'streamErrors'
>;

/** One consumer's streams and groups (see the file comment). */
export class GroupMembership {
  /** Stream key → service, of every service ever added or owned: names what a read returns. */
  readonly streams = new Map<string, string>();
  /** The streams this consumer reads, claims and cleans up. */
  private readonly owned = new Set<string>();
  /** Owned streams with a group, ready to read. */
  private readonly grouped = new Set<string>();
  private readonly acquisitions = new Acquisitions();
  private readonly retryGroupAt = new Map<string, number>();
  /** Streams this consumer has read: the groups that know its name. */
  private readonly joined = new Set<string>();
  private lastReclaimAt = 0;
  private nextCleanUpAt = 0;

  constructor(
    private readonly client: RedisClient,
    private readonly options: SlowLogConsumerOptions,
    private readonly counts: MembershipCounts,
    private readonly now: () => number,
  ) {}

  /** Adds services whose streams should be consumed: this consumer owns them too. */
  addServices(services: Iterable<string>): void {
    for (const service of services) for (const key of this.keysOf(service)) this.owned.add(key);
  }

  /**
   * The services this consumer owns from now on, and those of them it has just acquired (see
   * `acquisitions.ts`). Streams no longer owned are no longer read, claimed or cleaned up.
   * Returns the services that stopped being owned.
   */
  setOwned(owned: ReadonlySet<string>, acquired: Iterable<string>, claimIdleMs: number): string[] {
    const keys = new Set<string>();
    for (const service of owned) for (const key of this.keysOf(service)) keys.add(key);
    const lost: string[] = [];
    for (const key of this.owned) {
      if (keys.has(key)) continue;
      this.owned.delete(key);
      this.grouped.delete(key);
      this.retryGroupAt.delete(key);
      const service = this.streams.get(key)!;
      if (!lost.includes(service)) lost.push(service);
    }
    for (const key of keys) this.owned.add(key);
    this.acquisitions.retain((key) => this.owned.has(key));
    for (const service of acquired) {
      if (!owned.has(service)) continue;
      for (const key of this.keysOf(service)) this.acquisitions.start(key, claimIdleMs);
    }
    return lost;
  }

  /** Whether this consumer owns the stream `key`. */
  ownsStream(key: string): boolean {
    return this.owned.has(key);
  }

  /** Whether new entries of the stream `key` may be read: its acquisition, if any, is over. */
  readsNew(key: string): boolean {
    return !this.acquisitions.waiting(key);
  }

  /** The streams of `service`, one per layout, remembered so that a read names its service. */
  private keysOf(service: string): string[] {
    return KEY_LAYOUTS.map((layout) => {
      const key = serviceKeys(service, layout).slowLog;
      if (!this.streams.has(key)) this.streams.set(key, service);
      return key;
    });
  }

  /** Streams with a group, ready to read. */
  get readable(): number {
    return this.grouped.size;
  }

  /**
   * The streams to read now, after creating the group on every stream that has none yet (one
   * round trip). A service without a stream yet, or a key that is not a stream, is tried again
   * later, not on every step.
   */
  async keys(): Promise<string[]> {
    const now = this.now();
    const due: string[] = [];
    for (const key of this.owned) {
      if (!this.grouped.has(key) && (this.retryGroupAt.get(key) ?? 0) <= now) due.push(key);
    }
    if (due.length > 0) {
      for (const [key, state] of await createGroups(this.client, due, this.options.group)) {
        // Given up while the groups were being made: not read.
        if (!this.owned.has(key)) continue;
        if (state === 'ready') {
          this.grouped.add(key);
          this.retryGroupAt.delete(key);
        } else {
          this.retryGroupAt.set(key, now + GROUP_RETRY_MS);
        }
      }
    }
    for (const key of this.grouped) this.joined.add(key);
    return [...this.grouped];
  }

  /** Every group is checked again before the next read: one of them refused a command. */
  recheck(): void {
    this.grouped.clear();
  }

  /** A stream refused a command: it is set aside and its group made again next step. */
  setAside(key: string, error: unknown): void {
    this.counts.streamErrors++;
    this.grouped.delete(key);
    this.retryGroupAt.delete(key);
    this.options.onError(error, `slow-log stream ${key}`);
  }

  /**
   * Claims what the previous owners of streams just acquired left pending (every step while an
   * acquisition is open; all that is idle now, with `final`), what dead replicas left pending
   * (every `reclaimIdleMs / 2`), and deletes long-dead consumers (every `consumerExpiryMs / 2`),
   * when due. Resolves with whether it claimed anything, which is then in this consumer's
   * pending list.
   */
  async maintain(final = false): Promise<boolean> {
    let claimed = false;
    if (this.acquisitions.size > 0) {
      const onAcquire = await this.acquisitions.claim(
        this.claimContext(),
        [...this.grouped],
        final,
      );
      this.counts.claimedOnAcquire += onAcquire;
      claimed = onAcquire > 0;
    }
    if (this.now() - this.lastReclaimAt >= this.options.reclaimIdleMs / 2) {
      claimed = (await this.reclaim()) || claimed;
    }
    if (this.now() >= this.nextCleanUpAt) await this.cleanUp();
    return claimed;
  }

  private claimContext(): ClaimContext {
    return {
      client: this.client,
      group: this.options.group,
      consumer: this.options.consumer,
      batchSize: this.options.batchSize,
      setAside: (key, error) => this.setAside(key, error),
    };
  }

  private async reclaim(): Promise<boolean> {
    this.lastReclaimAt = this.now();
    let claimedAny = false;
    for (const key of [...this.grouped]) {
      try {
        const claimed = await claimIdle(
          this.client,
          key,
          this.options.group,
          this.options.consumer,
          this.options.reclaimIdleMs,
          this.options.batchSize,
        );
        this.counts.reclaimed += claimed;
        claimedAny ||= claimed > 0;
      } catch (error) {
        if (!isStreamError(error)) throw error;
        this.setAside(key, error);
      }
    }
    return claimedAny;
  }

  /**
   * Deletes consumers that died long ago with nothing pending (each restart adds one). Rare
   * housekeeping: a failure is reported and never holds up the reads.
   */
  private async cleanUp(): Promise<void> {
    const expiryMs = this.options.consumerExpiryMs ?? DEFAULT_CONSUMER_EXPIRY_MS;
    this.nextCleanUpAt = this.now() + expiryMs / 2;
    try {
      const results = await deleteIdleConsumers(
        this.options.admin ?? this.client,
        [...this.grouped],
        this.options.group,
        this.options.consumer,
        expiryMs,
      );
      for (const deleted of results.values()) {
        if (typeof deleted === 'number') this.counts.deletedConsumers += deleted;
      }
    } catch (error) {
      this.options.onError(error, 'slow-log consumer clean-up');
    }
  }

  /**
   * At stop: hands this consumer's pending entries back (idle for `reclaimIdleMs`, so the next
   * XAUTOCLAIM of any replica takes them), or leaves each group where none are left.
   */
  async retire(): Promise<void> {
    if (this.joined.size === 0) return;
    const results = await retireConsumer(
      this.options.admin ?? this.client,
      [...this.joined],
      this.options.group,
      this.options.consumer,
      this.options.reclaimIdleMs,
    );
    for (const handed of results.values()) {
      if (typeof handed === 'number') this.counts.handedBack += handed;
    }
  }

  /** Unacknowledged entries (pending) plus entries not yet delivered (lag), all streams. */
  backlog(): Promise<number> {
    return groupBacklog(this.options.admin ?? this.client, this.grouped, this.options.group);
  }
}
