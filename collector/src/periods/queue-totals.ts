/**
 * One queue's counters, added up from the closed periods its snapshots report (see
 * `QueuePeriod`): per source, each period once. A period counts when it overlaps none of the
 * source's last `MAX_SPANS_KEPT` counted periods and starts at or after the source's floor (where
 * counting began, raised past each span forgotten): a duplicate or a hostile overlap is skipped,
 * so no job is counted twice, while a period that arrives after a later one (a node that had not
 * read it yet wrote first) still counts.
 *
 * Every counted period lies in `[startMs, timeMs]`: the counters are the jobs of that span,
 * which is what an OTel cumulative point with those times means.
 */
import type { PeriodDurations, QueuePeriod } from '@gravito/quasar/schema';
import { DurationTotals } from './duration-totals';

/** Sources one queue may have (`events`, `sample`, `horizon`, …); more are ignored. */
export const MAX_PERIOD_SOURCES = 8;

/**
 * How far past the Redis server's clock a period may end: sources' clocks drift by seconds,
 * not minutes. A period ending later cannot be closed; counting it would stop its source's
 * counters until that time.
 */
export const MAX_PERIOD_AHEAD_MS = 300_000;

/** The durations a period reports, each kept apart by whether it is a sample. */
export const DURATION_KINDS = ['wait', 'run'] as const;
export type DurationKind = (typeof DURATION_KINDS)[number];

/** Counted periods remembered per source, to tell a late one from a duplicate. */
export const MAX_SPANS_KEPT = 16;

/** One source's counted periods: where counting began, and the last ones counted, by start. */
interface SourceSpans {
  floor: number;
  spans: Array<readonly [number, number]>;
}

/** Whether `[start, end)` overlaps a remembered span, or starts before the floor. */
function isCounted(source: SourceSpans, start: number, end: number): boolean {
  if (start < source.floor) return true;
  return source.spans.some(([s, e]) => start < e && s < end);
}

/** Remembers `[start, end)`, forgetting the oldest span past the bound (raising the floor). */
function remember(source: SourceSpans, start: number, end: number): void {
  const at = source.spans.findIndex(([s]) => s > start);
  source.spans.splice(at === -1 ? source.spans.length : at, 0, [start, end]);
  if (source.spans.length > MAX_SPANS_KEPT) {
    const [, forgottenEnd] = source.spans.shift()!;
    source.floor = Math.max(source.floor, forgottenEnd);
  }
}

const slot = (kind: DurationKind, sampled: boolean) =>
  (kind === 'wait' ? 0 : 2) + (sampled ? 1 : 0);

const byStart = (a: QueuePeriod, b: QueuePeriod) => a.startMs - b.startMs || a.endMs - b.endMs;

/** The periods by start, copied and sorted only when they are not already (agents sort them). */
function inOrder(periods: readonly QueuePeriod[]): readonly QueuePeriod[] {
  for (let i = 1; i < periods.length; i++) {
    if (byStart(periods[i - 1]!, periods[i]!) > 0) return [...periods].sort(byStart);
  }
  return periods;
}

export class QueueTotals {
  /** When the counters start, epoch ms on the sources' clock. */
  readonly startMs: number;
  /** The end of the last period counted, over every source; `startMs` until one is. */
  timeMs: number;
  added = 0;
  completed = 0;
  failed = 0;
  /** The collector's clock when the queue was last in a snapshot, epoch ms. */
  seenAtMs: number;
  /**
   * `observedAt` of the snapshot last added: the same field read again in a later cycle (agents
   * rewrite it once a beat, the collector reads it every cycle) is not walked again.
   */
  readAt: number | undefined;
  /** Per source, the periods counted (or, as the floor, the span before `sinceMs`). */
  private readonly sources = new Map<string, SourceSpans>();
  /** `wait` exact, `wait` sampled, `run` exact, `run` sampled. */
  private readonly durations: Array<DurationTotals | undefined> = [
    undefined,
    undefined,
    undefined,
    undefined,
  ];

  /**
   * The counters of a queue seen first in `periods` (valid, of one snapshot), none counted yet:
   * `add` them next. Periods that ended by `sinceMs` (when this collector began to count the
   * queue's service) are left to whoever counted the service before: each source counts from
   * its newest such period's end, and the counters start at the earliest of those ends and of
   * the starts of the periods to count.
   */
  constructor(periods: readonly QueuePeriod[], sinceMs: number, nowMs: number) {
    let start = Infinity;
    const ends = new Map<string, number>();
    for (const p of periods) {
      if (p.endMs > nowMs + MAX_PERIOD_AHEAD_MS) continue;
      if (p.endMs > sinceMs) start = Math.min(start, p.startMs);
      else if (ends.has(p.source) || ends.size < MAX_PERIOD_SOURCES) {
        ends.set(p.source, Math.max(ends.get(p.source) ?? 0, p.endMs));
      }
    }
    for (const [source, end] of ends) {
      this.sources.set(source, { floor: end, spans: [] });
      start = Math.min(start, end);
    }
    this.startMs = Number.isFinite(start) ? start : sinceMs;
    this.timeMs = this.startMs;
    this.seenAtMs = nowMs;
  }

  /** Adds the periods not counted yet; returns how many were. */
  add(periods: readonly QueuePeriod[], sinceMs: number, nowMs: number): number {
    this.seenAtMs = nowMs;
    let counted = 0;
    for (const p of inOrder(periods)) {
      if (p.endMs <= sinceMs || p.endMs > nowMs + MAX_PERIOD_AHEAD_MS) continue;
      let source = this.sources.get(p.source);
      if (source === undefined) {
        if (this.sources.size >= MAX_PERIOD_SOURCES) continue;
        this.sources.set(p.source, (source = { floor: this.startMs, spans: [] }));
      }
      if (isCounted(source, p.startMs, p.endMs)) continue;
      remember(source, p.startMs, p.endMs);
      this.count(p);
      counted++;
    }
    return counted;
  }

  /** The durations of `kind`, exact or sampled, when any period reported them. */
  durationsOf(kind: DurationKind, sampled: boolean): DurationTotals | undefined {
    return this.durations[slot(kind, sampled)];
  }

  private count(p: QueuePeriod): void {
    this.added += p.in ?? 0;
    this.completed += p.completed ?? 0;
    this.failed += p.failed ?? 0;
    if (p.wait) this.addDurations('wait', p.wait);
    if (p.run) this.addDurations('run', p.run);
    if (p.endMs > this.timeMs) this.timeMs = p.endMs;
  }

  private addDurations(kind: DurationKind, durations: PeriodDurations): void {
    const at = slot(kind, durations.sampled === true);
    (this.durations[at] ??= new DurationTotals()).add(durations);
  }
}
