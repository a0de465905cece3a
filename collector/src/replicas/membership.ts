/**
 * The live collector replicas, as a sorted set every replica refreshes on its own timer (see
 * `membership-script.ts`). Reading it is a local lookup: the cycle never waits on it.
 */
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import { announce } from './membership-script';

/** Replicas read at most; more could only come from a member set written by something else. */
export const MAX_REPLICAS = 1_000;
/** Longest replica id kept; longer members are ignored. */
export const MAX_REPLICA_ID_LENGTH = 256;

export interface MembershipOptions {
  /** This replica's id: its member in the set. */
  readonly replicaId: string;
  /** A replica not announced for this long is dropped, ms. */
  readonly liveWindowMs: number;
  /** Time between announcements, ms; well under the live window. */
  readonly refreshMs: number;
  /** Told about a failed announcement (Redis away, NOPERM); the next tick tries again. */
  readonly onError: (error: unknown) => void;
  /** Told after each announcement that worked. */
  readonly onAnnounced?: () => void;
}

/** Keeps the live replica ids fresh on an unref'd timer; `start` and `stop` are idempotent. */
export class ReplicaMembership {
  private live: readonly string[];
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private running = false;
  /** Settles after the first announcement (whatever its outcome). */
  private first: Promise<void> | undefined;
  /** Failed announcements since start. */
  failures = 0;

  constructor(
    private readonly client: RedisClient,
    private readonly options: MembershipOptions,
  ) {
    this.live = [options.replicaId];
  }

  /** The replica ids last read (this one included once it announced itself). */
  get members(): readonly string[] {
    return this.live;
  }

  /** Starts announcing; resolves after the first announcement, failed or not. */
  start(): Promise<void> {
    if (this.running) return this.first ?? Promise.resolve();
    this.running = true;
    this.first = this.tick();
    return this.first;
  }

  /** One announcement and read. Never throws; never two at once. */
  private tick(): Promise<void> {
    this.ticking ??= this.refresh().finally(() => {
      this.ticking = undefined;
      if (!this.running) return;
      this.timer = setTimeout(() => void this.tick(), this.options.refreshMs);
      this.timer.unref();
    });
    return this.ticking;
  }

  private async refresh(): Promise<void> {
    try {
      const reply = await announce(
        this.client,
        QuasarKeys.collectors,
        this.options.replicaId,
        this.options.liveWindowMs,
        MAX_REPLICAS,
      );
      this.live = liveIds(reply);
      this.options.onAnnounced?.();
    } catch (error) {
      this.failures++;
      this.options.onError(error);
    }
  }

  /** Stops announcing and removes this replica from the set, so the others take over at once. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    await this.client
      .zrem(QuasarKeys.collectors, this.options.replicaId)
      .catch((error: unknown) => this.options.onError(error));
  }
}

/** The ids of a membership reply: strings of a sane length, anything else ignored. */
function liveIds(reply: unknown): string[] {
  if (!Array.isArray(reply)) throw new Error('unexpected membership reply');
  const ids: string[] = [];
  for (const member of reply as unknown[]) {
    if (typeof member === 'string' && member.length > 0 && member.length <= MAX_REPLICA_ID_LENGTH) {
      ids.push(member);
    }
  }
  return ids;
}
