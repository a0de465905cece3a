/**
 * One entry of a heartbeat's `queues[]` as the queues section shows it. Agents of any version
 * write it, so every field is read defensively: a missing, mistyped or out-of-range field reads
 * as `null` (or an empty list), lists and strings are cut to the bounds of `api/limits`, and the
 * rest of the queue is kept.
 */
import { MAX_COUNT, MAX_FAILED_JOBS, MAX_QUEUES, MAX_STATES } from '../api/limits';
import { durationMs, epochMs, field, id, inRange, isRecord, label, listOf, text } from '../api/read';
import { readFailureGroups, type FailureGroups } from './failure-groups';

/** The remote-control verbs an agent may enable on a queue. */
export const QUEUE_ACTIONS = ['retry', 'delete', 'inspect', 'pause', 'promote'] as const;
export type QueueAction = (typeof QUEUE_ACTIONS)[number];

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

/**
 * Jobs per minute over the agent's last probe window; each rate `null` when the queue system
 * gives no source for it (Horizon counts no `in`, only BullMQ reports `failed`).
 */
export interface QueueRates {
  in: number | null;
  out: number;
  failed: number | null;
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
  /** The failures grouped by error fingerprint, or `null` when the agent sent none. */
  failureGroups: FailureGroups | null;
  oldestWaitingAgeMs: number | null;
  paused: boolean;
  /** Who paused it through Quasar (the collector's record), when it is paused and that is known. */
  pausedBy: string | null;
  /** When that pause was issued, epoch ms. */
  pausedAt: number | null;
  /** Jobs per minute, or `null` where the agent reported none. */
  throughput: QueueRates | null;
  /** The verbs remote control allows here; empty when the agent lists none. */
  actions: QueueAction[];
  /** Why the probe failed; its counts are then meaningless. */
  error: string | null;
}

/** A queue snapshot, or `null` when the entry has no usable name. Never throws. */
export function readQueue(value: unknown): QueueView | null {
  if (!isRecord(value)) {
    return null;
  }
  const name = id(field(value, 'name'));
  if (!name) {
    return null;
  }
  const counts = readCounts(field(value, 'size'));
  const error = text(field(value, 'error'));
  const actions = field(value, 'actions');
  const paused = field(value, 'paused') === true;
  return {
    name,
    driver: label(field(value, 'driver')),
    counts,
    failed: counts.find((c) => c.state === 'failed')?.count ?? null,
    failedSample: listOf(field(value, 'failedSample'), MAX_FAILED_JOBS, readFailedJob),
    failureGroups: readFailureGroups(field(value, 'failureGroups')),
    oldestWaitingAgeMs: durationMs(field(value, 'oldestWaitingAgeMs')),
    paused,
    // Only a paused queue has a pauser: a stale field on a running queue names no one.
    pausedBy: paused ? label(field(value, 'pausedBy')) : null,
    pausedAt: paused ? epochMs(field(value, 'pausedAt')) : null,
    throughput: readRates(field(value, 'throughput')),
    actions: Array.isArray(actions) ? readActions(actions) : [],
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

/**
 * Every readable queue of a heartbeat's `queues` value, at most `MAX_QUEUES`; anything else
 * reads as none. Never throws.
 */
export function readQueues(value: unknown): QueueView[] {
  return listOf(value, MAX_QUEUES, readQueue);
}

/** A rate per minute, ≥ 0; `null` otherwise. */
const rate = (value: unknown): number | null => inRange(value, 0, MAX_COUNT);

/** `throughput`, or `null` without a readable `out`. Never throws. */
export function readRates(value: unknown): QueueRates | null {
  if (!isRecord(value)) {
    return null;
  }
  const out = rate(field(value, 'out'));
  if (out === null) {
    return null;
  }
  return { in: rate(field(value, 'in')), out, failed: rate(field(value, 'failed')) };
}

/** A job count: a whole number of jobs, exact in a double. */
function jobCount(value: unknown): number | null {
  const n = inRange(value, 0, MAX_COUNT);
  return n !== null && Number.isInteger(n) ? n : null;
}

function readCounts(size: unknown): QueueCount[] {
  if (!isRecord(size)) {
    return [];
  }
  const counts: QueueCount[] = [];
  const primary: readonly string[] = PRIMARY_STATES;
  for (const state of PRIMARY_STATES) {
    const count = jobCount(field(size, state));
    if (count !== null) {
      counts.push({ state, count });
    }
  }
  for (const [state, value] of Object.entries(size)) {
    if (counts.length >= MAX_STATES) {
      break;
    }
    const count = jobCount(value);
    const name = label(state);
    if (!primary.includes(state) && count !== null && name === state) {
      counts.push({ state, count });
    }
  }
  return counts;
}

/**
 * One job of a failed sample, or `null` without a usable id. Drivers number their jobs; the
 * command API wants the id as a string either way. Never throws.
 */
export function readFailedJob(value: unknown): FailedJob | null {
  if (!isRecord(value)) {
    return null;
  }
  const raw = field(value, 'id');
  const jobId = typeof raw === 'number' ? (Number.isSafeInteger(raw) && raw >= 0 ? String(raw) : null) : id(raw);
  if (!jobId) {
    return null;
  }
  return {
    id: jobId,
    name: label(field(value, 'name')),
    failedAt: epochMs(field(value, 'failedAt')),
    reason: text(field(value, 'reason')),
  };
}

function readActions(values: unknown[]): QueueAction[] {
  const actions: QueueAction[] = [];
  for (const value of values.slice(0, MAX_ACTIONS_READ)) {
    const verb = QUEUE_ACTIONS.find((known) => known === value);
    if (verb !== undefined && !actions.includes(verb)) {
      actions.push(verb);
    }
  }
  return actions;
}

/** Entries of `actions` looked at: agents send at most 8. */
const MAX_ACTIONS_READ = 8;
