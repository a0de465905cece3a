/**
 * Jobs per minute of one BullMQ queue, from its events stream `{prefix}:{queue}:events`, where
 * BullMQ's scripts record, among others:
 * - `added` for every job stored (`storeJob`, whatever its state: waiting, delayed, prioritised,
 *   a flow's parent or child): `in`;
 * - `completed` and `failed` from `moveToFinished` when a job finishes for good: `out`. A failed
 *   attempt that will be retried emits `delayed` or `waiting` instead, so `failed` counts only
 *   jobs that ran out of attempts (or were failed without retry).
 *
 * Each read takes the entries after the last one counted, at most `MAX_EVENTS_PER_READ`. The
 * window runs from the previous read's Redis `TIME` to this one's, the clock stream ids are
 * made from; a read that hit the bound ends its window at its last entry's time instead, and
 * the rest is counted by the next read. The first read reports no rates: it records where the
 * stream stands, and reads the entries of the current minute for the periods.
 *
 * Entries trimmed away (BullMQ caps the stream at `maxLenEvents`, 10,000 by default) before
 * they were counted leave a gap: the window is then not reported, and counting starts afresh.
 * Redis ≥ 7 tells exactly whether an entry after the last one counted was trimmed (from
 * `entries-added` and `length`, see `lostAfter`); on older Redis any window that no longer
 * starts inside the stream counts as a gap.
 *
 * When the queue's workers record metrics (`metrics` worker option), BullMQ keeps counters
 * `{prefix}:{queue}:metrics:completed|failed` (field `count`), incremented by the same script
 * that writes the event. They are preferred for `out` and `failed` (source `metrics`) over a
 * window that read the stream to its end.
 *
 * The same entries are counted into closed minutes (`./events-periods.ts`), whose proof that a
 * minute was read to its end rests on `TIME` running before `XRANGE` (see `readThroughMs`).
 */
import type { QueueThroughput } from '../../../schema';
import { perMinute } from '../../rate';
import { EventsPeriods, PERIOD_MS } from './events-periods';
import {
  STREAM_START,
  compareIds,
  idAfter,
  parseStreamEvents,
  parseStreamId,
  parseStreamInfo,
  parseTimeMs,
} from './stream-reply';
import type { StreamEvent, StreamId, StreamInfo } from './stream-reply';

/** At most this many entries are read per probe read, so a burst cannot outlast the deadline. */
export const MAX_EVENTS_PER_READ = 1000;

/**
 * The raw replies of one read; a reply Redis refused is its `Error`. They must come from one
 * pipeline to the stream's node, in this order: `TIME`, then `XRANGE`, then `XINFO STREAM`.
 */
export interface EventsReplies {
  /** The `XRANGE` start sent, as `rangeStart` gave it. */
  start: string;
  /** `XRANGE start + COUNT MAX_EVENTS_PER_READ`. */
  entries: unknown;
  /** `XINFO STREAM`, after the `XRANGE`; null when the stream does not exist. */
  info: unknown;
  /** `TIME` of the stream's node, before the `XRANGE`. */
  time: unknown;
  /** `HMGET {prefix}:{queue}:metrics:completed count` and `…:failed count`. */
  metrics: readonly [unknown, unknown];
}

/** What one read concluded. */
export type EventsWindow =
  | { kind: 'started' }
  | { kind: 'gap' }
  | { kind: 'rates'; throughput: QueueThroughput; partial: boolean }
  | { kind: 'unreadable' };

/** Where the previous read left off. */
interface Position {
  /** The last entry counted (or the stream's last id when counting started). */
  id: StreamId;
  /** How many entries had been added to the stream up to `id` (Redis ≥ 7.0). */
  ordinal: number | undefined;
  /** When the window ends, Redis clock, epoch ms. */
  atMs: number;
  /** The metrics counters at `atMs`; null where the hash or field did not exist. */
  completed: number | null;
  failed: number | null;
  /** Entries already read that a later window counts (read within one ms of its start). */
  pending: Tally;
}

/** The entries counted, by event. */
interface Tally {
  readonly added: number;
  readonly completed: number;
  readonly failed: number;
}

const NO_EVENTS: Tally = { added: 0, completed: 0, failed: 0 };

const count = (value: unknown): number | null => {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
};

/**
 * Whether an entry after `from` is gone from the stream `info` describes. Trimming removes the
 * oldest entries, so while the oldest left is at or before `from`, none after it is gone.
 * Otherwise, on Redis ≥ 7 with nothing ever deleted by id, the entries held are the newest
 * `length` of `entriesAdded`, and `ordinal` (how many had been added up to `from`) tells
 * whether any after `from` went with them, or whether the stream was made anew; without that,
 * any such stream counts as a gap.
 */
function lostAfter(from: StreamId, ordinal: number | undefined, info: StreamInfo | null): boolean {
  if (info === null) return compareIds(from, STREAM_START) > 0;
  if (compareIds(info.lastGeneratedId, from) < 0) return true;
  // Empty: whatever was added after `from` is gone.
  if (info.firstEntryId === undefined) return compareIds(info.lastGeneratedId, from) > 0;
  if (compareIds(info.firstEntryId, from) <= 0) return false;
  const neverDeleted = info.maxDeletedId && compareIds(info.maxDeletedId, STREAM_START) === 0;
  if (!neverDeleted || ordinal === undefined || info.entriesAdded === undefined) return true;
  // The oldest entry held follows `from` directly only when exactly the entries up to `from`
  // were removed; fewer means a stream deleted and written anew since (its count restarted).
  return info.entriesAdded - info.length !== ordinal;
}

/**
 * Whether every entry with an id at or after `from` is still in the stream `info` describes
 * (read after the `XRANGE` from `from`, so none went before that read either).
 */
function keptFrom(from: StreamId, info: StreamInfo): boolean {
  if (info.firstEntryId === undefined) return compareIds(info.lastGeneratedId, from) < 0;
  if (compareIds(info.firstEntryId, from) < 0) return true;
  const neverDeleted = info.maxDeletedId && compareIds(info.maxDeletedId, STREAM_START) === 0;
  return Boolean(neverDeleted) && info.entriesAdded === info.length;
}

/**
 * The point before which every entry is among those read so far: ids only grow, so none can
 * come before the last entry read; and `TIME` ran before the `XRANGE`, so an entry with an id
 * before `TIME` was added before the `XRANGE` ran and is in its reply, unless the reply was cut
 * at the bound. (This holds while the node's clock does not step back.)
 */
function readThroughMs(events: readonly StreamEvent[], nowMs: number, cut: boolean): number {
  const lastMs = Number(events.at(-1)?.id.ms ?? 0n);
  return cut ? lastMs : Math.max(nowMs, lastMs);
}

/** Where a first read starts: the current minute of the agent's clock, `ms-0`. */
const firstStart = (nowMs: number): string =>
  `${Math.floor(Math.max(0, nowMs) / PERIOD_MS) * PERIOD_MS}-0`;

/** The counter delta over the window, or undefined when the counters cannot give one. */
function counterDelta(before: number | null, after: number | null): number | undefined {
  const delta = (after ?? 0) - (before ?? 0);
  return delta >= 0 ? delta : undefined;
}

/** The events-stream window of one queue; one per probe, holding only the last position. */
export class EventsThroughput {
  private position: Position | undefined;
  /** The closed minutes counted from the entries read. */
  readonly periods = new EventsPeriods();

  /**
   * The `XRANGE` start of the next read: after the last entry counted, or on the first read the
   * start of the current minute on the agent's clock (`nowMs`), so that minute can be counted
   * whole. Which minute it is on the stream's clock matters not: the periods count from
   * whatever id the read started at.
   */
  rangeStart(nowMs: number): string {
    return this.position ? idAfter(this.position.id) : firstStart(nowMs);
  }

  /** Takes one read's replies, moves the position on, and says what the window holds. */
  advance(replies: EventsReplies): EventsWindow {
    const all = [replies.entries, replies.info, replies.time, ...replies.metrics];
    if (all.some((reply) => reply instanceof Error)) return { kind: 'unreadable' };
    const timeMs = parseTimeMs(replies.time);
    const nowMs = timeMs === undefined ? undefined : Math.floor(timeMs);
    const info = replies.info === null ? null : parseStreamInfo(replies.info);
    if (nowMs === undefined || info === undefined) return { kind: 'unreadable' };
    const completed = count(replies.metrics[0]);
    const failed = count(replies.metrics[1]);
    const restart = (): Position => ({
      id: info?.lastGeneratedId ?? STREAM_START,
      ordinal: info ? info.entriesAdded : 0,
      atMs: nowMs,
      completed,
      failed,
      pending: NO_EVENTS,
    });
    // The counting goes on after the last entry ever added, so its next minute is whole; with
    // no stream, after `TIME` (a stream deleted this minute may have held some of it).
    const restartPeriods = () =>
      this.periods.restart((info ? Number(info.lastGeneratedId.ms) : nowMs) + 1);
    const previous = this.position;
    const events = parseStreamEvents(replies.entries, MAX_EVENTS_PER_READ);
    if (!previous) {
      this.position = restart();
      if (!this.startPeriods(replies.start, events, info, nowMs)) restartPeriods();
      return { kind: 'started' };
    }
    if (replies.start !== idAfter(previous.id)) return { kind: 'unreadable' };
    if (lostAfter(previous.id, previous.ordinal, info)) {
      this.position = restart();
      restartPeriods();
      return { kind: 'gap' };
    }
    if (!events) return { kind: 'unreadable' };
    const last = events.at(-1);
    const partial = events.length === MAX_EVENTS_PER_READ;
    this.periods.take(events, readThroughMs(events, nowMs, partial));
    // A window ends after the last entry it counts: at Redis's clock, or just past that entry.
    const endMs = partial && last ? Number(last.id.ms) + 1 : nowMs;
    const windowMs = endMs - previous.atMs;
    const tally = { ...previous.pending };
    for (const { event } of events) {
      if (event === 'added' || event === 'completed' || event === 'failed') tally[event]++;
    }
    const id = last?.id ?? previous.id;
    const ordinal = previous.ordinal === undefined ? undefined : previous.ordinal + events.length;
    if (windowMs <= 0) {
      // A bound's worth of entries within one ms: carried into the next window, not dropped.
      this.position = { ...previous, id, ordinal, pending: tally };
      return { kind: 'unreadable' };
    }
    // The counters were read at Redis's clock, not at the end of a window the bound cut short.
    const counters = partial ? { completed: null, failed: null } : { completed, failed };
    this.position = { id, ordinal, atMs: endMs, ...counters, pending: NO_EVENTS };
    const byMetrics =
      !partial && previous.completed !== null && completed !== null
        ? {
            completed: counterDelta(previous.completed, completed),
            failed: counterDelta(previous.failed, failed),
          }
        : undefined;
    const exact =
      byMetrics?.completed !== undefined && byMetrics.failed !== undefined
        ? { completed: byMetrics.completed, failed: byMetrics.failed, source: 'metrics' }
        : { completed: tally.completed, failed: tally.failed, source: 'events' };
    return {
      kind: 'rates',
      partial,
      throughput: {
        in: perMinute(tally.added, windowMs),
        out: perMinute(exact.completed + exact.failed, windowMs),
        failed: perMinute(exact.failed, windowMs),
        source: exact.source,
        windowMs,
      },
    };
  }

  /**
   * Counts a first read's entries into the periods when they are all the stream held from
   * `start` on: nothing from `start` on was trimmed, and the read reached the last entry
   * `XINFO` saw, so it was not cut at the bound and no entry came between (which would be
   * behind the position the next read starts after). Says whether it did.
   */
  private startPeriods(
    start: string,
    events: readonly StreamEvent[] | undefined,
    info: StreamInfo | null,
    nowMs: number,
  ): boolean {
    const from = parseStreamId(start);
    if (!from || !events || !info) return false;
    if (!keptFrom(from, info)) return false;
    const last = events.at(-1);
    const whole = last
      ? compareIds(last.id, info.lastGeneratedId) === 0
      : compareIds(info.lastGeneratedId, from) < 0;
    if (!whole) return false;
    // From `ms-0` the counting covers that whole ms; from a later seq, only the next one on.
    this.periods.restart(Number(from.ms) + (from.seq === 0n ? 0 : 1));
    this.periods.take(events, readThroughMs(events, nowMs, false));
    return true;
  }
}
