/**
 * One entry of a heartbeat's `queues[]` as the queues section shows it. Agents of any version
 * write it, so every field is read defensively: a missing or mistyped field reads as `null` (or
 * an empty list) and the rest of the queue is kept.
 */
import { isRecord, num, str } from '../api/read';

/** A verb remote control may run on a queue. */
export type QueueAction = 'retry' | 'delete';

/** The states every driver reports, shown first and in this order. */
export const PRIMARY_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** One state's job count. */
export interface QueueCount {
  state: string;
  count: number;
}

/** One job of the failed sample. */
export interface FailedJob {
  id: string;
  name: string | null;
  /** Epoch milliseconds. */
  failedAt: number | null;
  reason: string | null;
}

/** A queue snapshot as the section shows it. */
export interface QueueView {
  name: string;
  driver: string | null;
  /** Every state in `size`: the primary states first, then the others as the agent sent them. */
  counts: QueueCount[];
  /** Jobs failed, or `null` when the agent did not count them. */
  failed: number | null;
  failedSample: FailedJob[];
  oldestWaitingAgeMs: number | null;
  paused: boolean;
  /** The verbs remote control allows here; empty when the agent lists none. */
  actions: QueueAction[];
  /** Why the probe failed; its counts are then meaningless. */
  error: string | null;
}

/** A queue snapshot, or `null` when the entry has no name. */
export function readQueue(value: unknown): QueueView | null {
  if (!isRecord(value)) {
    return null;
  }
  const name = str(value.name);
  if (!name) {
    return null;
  }
  const counts = readCounts(value.size);
  const error = str(value.error);
  return {
    name,
    driver: str(value.driver),
    counts,
    failed: counts.find((c) => c.state === 'failed')?.count ?? null,
    failedSample: Array.isArray(value.failedSample) ? value.failedSample.flatMap(readFailedJob) : [],
    oldestWaitingAgeMs: num(value.oldestWaitingAgeMs),
    paused: value.paused === true,
    actions: Array.isArray(value.actions) ? readActions(value.actions) : [],
    error: error === '' ? null : error,
  };
}

/**
 * The counts worth a place on a card: the primary states always (a zero there is news), the
 * driver's other states (completed, prioritized, waiting-children, …) only when not zero.
 */
export function shownCounts(counts: readonly QueueCount[]): QueueCount[] {
  const primary: readonly string[] = PRIMARY_STATES;
  return counts.filter((c) => primary.includes(c.state) || c.count > 0);
}

/** Every readable queue of a heartbeat's `queues` value; anything else reads as none. */
export function readQueues(value: unknown): QueueView[] {
  return Array.isArray(value) ? value.flatMap((entry) => readQueue(entry) ?? []) : [];
}

function readCounts(size: unknown): QueueCount[] {
  if (!isRecord(size)) {
    return [];
  }
  const counts: QueueCount[] = [];
  const primary: readonly string[] = PRIMARY_STATES;
  for (const state of PRIMARY_STATES) {
    const count = num(size[state]);
    if (count !== null) {
      counts.push({ state, count });
    }
  }
  for (const [state, value] of Object.entries(size)) {
    const count = num(value);
    if (!primary.includes(state) && count !== null) {
      counts.push({ state, count });
    }
  }
  return counts;
}

function readFailedJob(value: unknown): FailedJob[] {
  if (!isRecord(value)) {
    return [];
  }
  // Drivers number their jobs; the command API wants the id as a string either way.
  const id = str(value.id) ?? (num(value.id) !== null ? String(value.id) : null);
  if (!id) {
    return [];
  }
  return [{ id, name: str(value.name), failedAt: num(value.failedAt), reason: str(value.reason) }];
}

function readActions(values: unknown[]): QueueAction[] {
  const actions: QueueAction[] = [];
  for (const value of values) {
    if ((value === 'retry' || value === 'delete') && !actions.includes(value)) {
      actions.push(value);
    }
  }
  return actions;
}
