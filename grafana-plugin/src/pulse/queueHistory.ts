/**
 * A service's queue history as the sparklines draw it, read from the collector's
 * `GET /api/pulse/queues/history` reply and merged with the later replies that carry only newer
 * points (`since`). Every field is read defensively: a reply that is not one reads as `null`, a
 * queue whose times are not increasing epoch ms is left out, a value that is not a finite
 * non-negative number is a gap (`null`), and lists are cut to `api/limits`.
 */
import { MAX_HISTORY_POINTS, MAX_HISTORY_QUEUES } from '../api/limits';
import { durationMs, epochMs, field, id, inRange, isRecord, lookup } from '../api/read';

/** Where the failure rate came from (see the collector's reference). */
export type FailureRateFrom = 'throughput' | 'failed-count' | 'mixed';

/** One queue's points: `t` strictly increasing, each column as long as `t`. */
export interface QueueHistory {
  t: number[];
  waiting: Array<number | null>;
  in: Array<number | null>;
  out: Array<number | null>;
  failureRate: Array<number | null>;
  failureRateFrom: FailureRateFrom | null;
}

/** One service's history. */
export interface ServiceHistory {
  /** One point per this many ms. */
  resolutionMs: number;
  /** How far back the collector keeps points, ms. */
  windowMs: number;
  /** Keyed by queue name; a `Map`, since the names come from agents. */
  queues: ReadonlyMap<string, QueueHistory>;
}

const COLUMNS = ['waiting', 'in', 'out', 'failureRate'] as const;
const BASES: Readonly<Record<string, FailureRateFrom>> = {
  throughput: 'throughput',
  'failed-count': 'failed-count',
  mixed: 'mixed',
};

/** Largest value drawn: beyond it a figure is not a job count or rate. */
const MAX_VALUE = Number.MAX_SAFE_INTEGER;

function readColumn(value: unknown, length: number): Array<number | null> {
  const list = Array.isArray(value) ? value : [];
  return Array.from({ length }, (_, i) => inRange(list[i], 0, MAX_VALUE));
}

/** One queue's history, or `null` when its times are unusable. Never throws. */
export function readQueueHistory(value: unknown): QueueHistory | null {
  const times = field(value, 't');
  if (!Array.isArray(times) || times.length === 0) {
    return null;
  }
  const t: number[] = [];
  for (const raw of times.slice(-MAX_HISTORY_POINTS)) {
    const ms = epochMs(raw);
    if (ms === null || (t.length > 0 && ms <= t[t.length - 1]!)) {
      return null;
    }
    t.push(ms);
  }
  const skip = times.length - t.length;
  const column = (name: (typeof COLUMNS)[number]) => {
    const list = field(value, name);
    return readColumn(Array.isArray(list) ? list.slice(skip) : undefined, t.length);
  };
  const basis = field(value, 'failureRateFrom');
  return {
    t,
    waiting: column('waiting'),
    in: column('in'),
    out: column('out'),
    failureRate: column('failureRate'),
    failureRateFrom: typeof basis === 'string' ? (lookup(BASES, basis) ?? null) : null,
  };
}

/** A history reply, or `null` when it is not one. Never throws. */
export function readServiceHistory(reply: unknown): ServiceHistory | null {
  const resolutionMs = durationMs(field(reply, 'resolutionMs'));
  const windowMs = durationMs(field(reply, 'windowMs'));
  const queues = field(reply, 'queues');
  if (resolutionMs === null || resolutionMs === 0 || windowMs === null || !isRecord(queues)) {
    return null;
  }
  const out = new Map<string, QueueHistory>();
  for (const [name, value] of Object.entries(queues)) {
    if (out.size >= MAX_HISTORY_QUEUES) {
      break;
    }
    const history = id(name) === null ? null : readQueueHistory(value);
    if (history !== null) {
      out.set(name, history);
    }
  }
  return { resolutionMs, windowMs, queues: out };
}

/** The newest point's time over every queue, or `undefined` without any. */
export function newestTime(history: ServiceHistory): number | undefined {
  let newest: number | undefined;
  for (const queue of history.queues.values()) {
    const last = queue.t[queue.t.length - 1];
    if (last !== undefined && (newest === undefined || last > newest)) {
      newest = last;
    }
  }
  return newest;
}

/**
 * `queue` with the points of `later` after its own appended, cut to the newest
 * `MAX_HISTORY_POINTS` and to the points after `oldest`; `queue` itself when neither changes it.
 */
function appendPoints(queue: QueueHistory, later: QueueHistory | undefined, oldest: number): QueueHistory {
  const last = queue.t[queue.t.length - 1] ?? -Infinity;
  const from = later === undefined ? -1 : later.t.findIndex((t) => t > last);
  const join = <T>(mine: T[], theirs: T[]) => (from < 0 ? mine : mine.concat(theirs.slice(from)));
  const t = later === undefined ? queue.t : join(queue.t, later.t);
  let keep = Math.max(0, t.length - MAX_HISTORY_POINTS);
  while (keep < t.length && t[keep]! <= oldest) {
    keep++;
  }
  if (from < 0 && keep === 0) {
    return queue;
  }
  const column = (name: (typeof COLUMNS)[number]) => join(queue[name], later?.[name] ?? []).slice(keep);
  return {
    t: t.slice(keep),
    waiting: column('waiting'),
    in: column('in'),
    out: column('out'),
    failureRate: column('failureRate'),
    failureRateFrom: later === undefined ? queue.failureRateFrom : mixedBasis(queue, later),
  };
}

/** The basis of points from both: either one's when the other has none or the same, else `mixed`. */
function mixedBasis(queue: QueueHistory, later: QueueHistory): FailureRateFrom | null {
  if (queue.failureRateFrom === null || queue.failureRateFrom === later.failureRateFrom) {
    return later.failureRateFrom ?? queue.failureRateFrom;
  }
  return later.failureRateFrom === null ? queue.failureRateFrom : 'mixed';
}

/**
 * `previous` with the newer points of `update` appended (a queue object is kept as it was when
 * nothing was added to it, so views compare by identity), each queue cut to the window before
 * the newest point. A queue the update does not carry keeps its points until they leave the window.
 */
export function mergeHistory(previous: ServiceHistory, update: ServiceHistory): ServiceHistory {
  const newest = Math.max(newestTime(previous) ?? -Infinity, newestTime(update) ?? -Infinity);
  const oldest = newest - update.windowMs;
  const queues = new Map<string, QueueHistory>();
  for (const [name, queue] of previous.queues) {
    const merged = appendPoints(queue, update.queues.get(name), oldest);
    if (merged.t.length > 0) {
      queues.set(name, merged);
    }
  }
  for (const [name, queue] of update.queues) {
    if (!queues.has(name) && queues.size < MAX_HISTORY_QUEUES) {
      queues.set(name, queue);
    }
  }
  return { resolutionMs: update.resolutionMs, windowMs: update.windowMs, queues };
}
