/**
 * Runs the registered probes once per beat, in parallel, each within a deadline, and turns
 * their readings into snapshots. A probe that fails or times out becomes an `error` on its own
 * queue only; a probe still running from an earlier beat is not started again, so a hung
 * system never accumulates reads.
 */
import type { RedisClient } from '../redis/redis-client';
import { QuasarConfigError } from '../options/errors';
import type { QueueSnapshot } from '../schema';
import { withDeadline } from '../util/deadline';
import { groupSample } from './failures/groups';
import { checkKnownOptions } from './probe-options';
import { PROBE_TYPES, QUEUE_TYPES } from './registry';
import type { ProbeOptions, ProbeReading, QueueProbe } from './types';

/** How a queue was registered: what remote control needs to act on it. */
export interface QueueRegistration {
  /** The `monitorQueue()` type (`bullmq`, `redis`, …). */
  type: string;
  /** The `monitorQueue()` options, as given. */
  options: ProbeOptions;
}

/** One registered queue and its read in flight, if any. */
interface Entry {
  probe: QueueProbe;
  usesRedis: boolean;
  registration: QueueRegistration | undefined;
  inFlight: Promise<ProbeReading> | undefined;
}

const ZERO = { waiting: 0, active: 0, failed: 0, delayed: 0 } as const;

/** The type's probe for `queue`; throws a `QuasarConfigError` naming what is wrong. */
export function createProbe(
  queue: unknown,
  type: unknown,
  options: unknown,
): {
  probe: QueueProbe;
  usesRedis: boolean;
} {
  if (typeof queue !== 'string' || queue === '') {
    throw new QuasarConfigError('name', 'monitorQueue(name): name must be a non-empty string');
  }
  const definition = typeof type === 'string' ? PROBE_TYPES.get(type) : undefined;
  if (!definition) {
    throw new QuasarConfigError(
      'type',
      `monitorQueue(${JSON.stringify(queue)}): unknown type ${JSON.stringify(type)} (known: ${QUEUE_TYPES.join(', ')})`,
    );
  }
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new QuasarConfigError(
      'options',
      `monitorQueue(${JSON.stringify(queue)}): options must be an object`,
    );
  }
  const given = (options ?? {}) as ProbeOptions;
  checkKnownOptions(queue, definition, given);
  return { probe: definition.create(queue, given), usesRedis: definition.usesRedis };
}

/** A probe that throws instead of rejecting is contained all the same. */
function startRead(
  probe: QueueProbe,
  redis: RedisClient | undefined,
  nowMs: number,
): Promise<ProbeReading> {
  try {
    return probe.read({ redis, nowMs });
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** The registered queues of one agent, read together once per beat. */
export class QueueMonitor {
  private readonly entries = new Map<string, Entry>();

  /** Whether any registered probe reads the monitor Redis. */
  get usesRedis(): boolean {
    return [...this.entries.values()].some((e) => e.usesRedis);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Registers a queue; a second registration of the same name replaces the first.
   * @param registration its type and options, for the executors of remote control.
   */
  add(
    queue: string,
    probe: QueueProbe,
    usesRedis: boolean,
    registration?: QueueRegistration,
  ): void {
    this.entries.get(queue)?.probe.close?.();
    this.entries.set(queue, { probe, usesRedis, registration, inFlight: undefined });
  }

  /** How `queue` was registered; undefined when it is not monitored or was added without one. */
  registration(queue: string): QueueRegistration | undefined {
    return this.entries.get(queue)?.registration;
  }

  /**
   * Reads every queue. Never rejects: each snapshot carries either counts or an `error`.
   * @param deadlineMs how long one probe may take before its queue is reported as timed out.
   * @param onWarning where a probe's warnings go (the agent's logger), prefixed with the queue.
   */
  async snapshot(
    redis: RedisClient | undefined,
    deadlineMs: number,
    onWarning?: (message: string) => void,
  ): Promise<QueueSnapshot[]> {
    const nowMs = Date.now();
    return Promise.all(
      [...this.entries.values()].map((entry) =>
        this.read(entry, redis, nowMs, deadlineMs, onWarning),
      ),
    );
  }

  private async read(
    entry: Entry,
    redis: RedisClient | undefined,
    nowMs: number,
    deadlineMs: number,
    onWarning: ((message: string) => void) | undefined,
  ): Promise<QueueSnapshot> {
    const { probe } = entry;
    const base = { name: probe.queue, driver: probe.driver };
    if (entry.inFlight) {
      return {
        ...base,
        size: { ...ZERO },
        observedAt: nowMs,
        error: 'previous read still running',
      };
    }
    if (entry.usesRedis && redis?.status !== 'ready') {
      const error = redis
        ? `monitor Redis is not ready (${redis.status})`
        : 'monitor Redis is not configured';
      return { ...base, size: { ...ZERO }, observedAt: nowMs, error };
    }
    const reading = startRead(probe, redis, nowMs);
    entry.inFlight = reading;
    const settle = () => {
      if (entry.inFlight === reading) entry.inFlight = undefined;
    };
    reading.then(settle, settle);
    try {
      const r = await withDeadline(reading, deadlineMs, `${probe.driver} probe`);
      const snapshot: QueueSnapshot = { ...base, size: r.size, observedAt: nowMs };
      if (r.failedSample !== undefined) snapshot.failedSample = r.failedSample;
      const groups = r.failureGroups ?? (r.failedSample && groupSample(r.failedSample));
      if (groups !== undefined && groups.scanned > 0) snapshot.failureGroups = groups;
      if (r.oldestWaitingAgeMs !== undefined) snapshot.oldestWaitingAgeMs = r.oldestWaitingAgeMs;
      if (r.paused !== undefined) snapshot.paused = r.paused;
      if (r.throughput !== undefined) snapshot.throughput = r.throughput;
      if (r.periods !== undefined && r.periods.length > 0) snapshot.periods = r.periods;
      for (const warning of r.warnings ?? []) onWarning?.(`${probe.queue}: ${warning}`);
      return snapshot;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ...base, size: { ...ZERO }, observedAt: nowMs, error: message.slice(0, 200) };
    }
  }

  /** Releases every probe's resources. */
  close(): void {
    for (const entry of this.entries.values()) entry.probe.close?.();
    this.entries.clear();
  }
}
