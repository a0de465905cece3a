/** One group of slow entries, (service, kind, name): its counts, quantiles, sparkline and tail. */
import type { SlowEntry, SlowKind } from '@gravito/quasar/schema';
import { LogBuckets } from './log-buckets';
import { MinuteRing } from './minute-ring';
import type { Sparkline } from './minute-ring';
import { RecentEntries, keptEntry } from './recent-entries';
import type { RecentEntry } from './recent-entries';

/** A group as the API returns it. */
export interface SlowGroupSummary {
  service: string;
  kind: SlowKind;
  name: string;
  count: number;
  /** Nearest-rank quantiles, within `QUANTILE_RELATIVE_ERROR` of exact (see `log-buckets.ts`). */
  p50Ms: number;
  p95Ms: number;
  /** Exact. */
  maxMs: number;
  /** The newest `timestamp` among its entries (the agents' clock), epoch ms. */
  lastSeenMs: number;
  /** The trace of the newest entry that carried one. */
  lastTraceId?: string;
  sparkline: Sparkline;
}

/** What a group keeps of its entries. */
export interface GroupBounds {
  /** Raw entries kept per group. */
  entries: number;
  /** Bytes (by `entryBytes`) those entries may cost together. */
  entryBytes: number;
}

export class SlowGroup {
  private readonly durations = new LogBuckets();
  private readonly minutes = new MinuteRing();
  private readonly recent: RecentEntries;
  private lastSeenMs = 0;
  private lastTraceId: string | undefined;
  private lastTraceAtMs = -1;

  constructor(
    readonly service: string,
    readonly kind: SlowKind,
    readonly name: string,
    bounds: GroupBounds,
  ) {
    this.recent = new RecentEntries(bounds.entries, bounds.entryBytes);
  }

  record(entry: SlowEntry, id: string, nowMs: number): void {
    this.durations.record(entry.durationMs);
    this.minutes.record(entry.timestamp, entry.durationMs, nowMs);
    if (entry.timestamp > this.lastSeenMs) this.lastSeenMs = entry.timestamp;
    if (entry.traceId !== undefined && entry.timestamp >= this.lastTraceAtMs) {
      this.lastTraceAtMs = entry.timestamp;
      this.lastTraceId = entry.traceId;
    }
    this.recent.add(keptEntry(entry, id));
  }

  summary(nowMs: number): SlowGroupSummary {
    return {
      service: this.service,
      kind: this.kind,
      name: this.name,
      count: this.durations.count,
      p50Ms: this.durations.quantile(0.5) ?? 0,
      p95Ms: this.durations.quantile(0.95) ?? 0,
      maxMs: this.durations.max,
      lastSeenMs: this.lastSeenMs,
      ...(this.lastTraceId !== undefined ? { lastTraceId: this.lastTraceId } : {}),
      sparkline: this.minutes.read(nowMs),
    };
  }

  /** The kept entries, newest first, whole again (kind and name put back). */
  entries(): Array<SlowEntry & { id: string }> {
    return this.recent
      .newestFirst()
      .map((entry: RecentEntry) => ({ ...entry, kind: this.kind, name: this.name }));
  }

  get count(): number {
    return this.durations.count;
  }

  get lastSeen(): number {
    return this.lastSeenMs;
  }

  /** Bytes of the parts that grow: the buckets, the ring and the kept entries. */
  get bytes(): number {
    return this.durations.bytes + this.minutes.bytes + this.recent.bytes;
  }
}
