/**
 * fast-check generators of well-formed collector replies, each with the view a reader must make
 * of it: every value inside the bounds of `api/limits`, so reading keeps it exactly.
 */
import fc from 'fast-check';
import {
  MAX_BYTES,
  MAX_CERT_DAYS,
  MAX_CHECKS,
  MAX_CORES,
  MAX_DURATION_MS,
  MAX_EPOCH_MS,
  MAX_FAILED_JOBS,
  MAX_ID_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_RUNTIME_ERRORS,
  MAX_STATES,
  MAX_TEXT_LENGTH,
  MAX_WORKERS,
} from '../api/limits';
import type { PulseCheck, PulseNode } from '../pulse/node';
import { PRIMARY_STATES, type FailedJob, type QueueView } from '../pulse/queue';
import { ownObject } from './hostileJson';

/** A value the collector would send, and the view a reader must make of it. */
export interface Case<V> {
  raw: Record<string, unknown>;
  view: V;
}

/** Any string of at most `max` UTF-16 units, astral characters and lone surrogates included. */
const anyText = (max: number, minLength = 0) =>
  fc.string({ unit: 'binary', minLength, maxLength: max }).map((s) => s.slice(0, max));
const idText = anyText(MAX_ID_LENGTH, 1).filter((s) => s.length > 0);
const labelText = anyText(MAX_LABEL_LENGTH);
const freeText = anyText(MAX_TEXT_LENGTH);
/** A double in `[min, max]`, never `-0` (which would not compare equal to the `0` it reads as). */
const between = (min: number, max: number) => fc.double({ min, max, noNaN: true }).map((v) => v + 0);
const epoch = between(0, MAX_EPOCH_MS);
const duration = between(0, MAX_DURATION_MS);
const byteCount = between(0, MAX_BYTES);

/** One well-formed failed job; a driver's numeric id reads back as its decimal string. */
export function wellFormedFailedJob(): fc.Arbitrary<Case<FailedJob>> {
  return fc
    .record({ id: fc.oneof(idText, fc.maxSafeNat()), name: labelText, failedAt: epoch, reason: freeText })
    .map((job) => ({ raw: { ...job }, view: { ...job, id: String(job.id) } }));
}

/** One well-formed queue snapshot of a heartbeat's `queues[]`. */
export function wellFormedQueue(): fc.Arbitrary<Case<QueueView>> {
  const primary: readonly string[] = PRIMARY_STATES;
  const otherState = labelText.filter((state) => !primary.includes(state));
  return fc
    .record({
      name: idText,
      driver: labelText,
      primary: fc.tuple(...PRIMARY_STATES.map(() => fc.maxSafeNat())),
      others: fc.uniqueArray(fc.tuple(otherState, fc.maxSafeNat()), {
        maxLength: MAX_STATES - PRIMARY_STATES.length,
        selector: ([state]) => state,
      }),
      jobs: fc.array(wellFormedFailedJob(), { maxLength: MAX_FAILED_JOBS }),
      oldestWaitingAgeMs: duration,
      paused: fc.boolean(),
      pause: fc.option(fc.record({ by: labelText, at: fc.integer({ min: 0, max: 4_102_444_800_000 }) }), {
        nil: undefined,
      }),
      rates: fc.option(
        fc.record({
          in: fc.option(fc.double({ min: 0, max: 1e9, noNaN: true }), { nil: undefined }),
          out: fc.double({ min: 0, max: 1e9, noNaN: true }),
          failed: fc.option(fc.double({ min: 0, max: 1e9, noNaN: true }), { nil: undefined }),
        }),
        { nil: undefined }
      ),
      actions: fc.subarray(['retry', 'delete'] as const),
      error: fc.option(
        freeText.filter((e) => e !== ''),
        { nil: undefined }
      ),
    })
    .map(
      ({ name, driver, primary: counts, others, jobs, oldestWaitingAgeMs, paused, pause, rates, actions, error }) => {
        const size = ownObject([...PRIMARY_STATES.map((state, i) => [state, counts[i]] as const), ...others]);
        return {
          raw: {
            name,
            driver,
            size,
            failedSample: jobs.map((j) => j.raw),
            oldestWaitingAgeMs,
            paused,
            ...(pause === undefined ? {} : { pausedBy: pause.by, pausedAt: pause.at }),
            ...(rates === undefined ? {} : { throughput: { ...rates, source: 'events', windowMs: 10_000 } }),
            actions,
            ...(error === undefined ? {} : { error }),
          },
          view: {
            name,
            driver,
            // The object's own order: the primary states, then integer-like keys, then the rest.
            counts: [
              ...PRIMARY_STATES.map((state, i) => ({ state, count: counts[i] })),
              ...Object.entries(size)
                .filter(([state]) => !primary.includes(state))
                .map(([state, count]) => ({ state, count: count as number })),
            ],
            failed: counts[3],
            failedSample: jobs.map((j) => j.view),
            failureGroups: null,
            oldestWaitingAgeMs,
            paused,
            // Only a paused queue names who paused it.
            pausedBy: paused && pause !== undefined ? pause.by : null,
            pausedAt: paused && pause !== undefined ? pause.at : null,
            throughput:
              rates === undefined ? null : { in: rates.in ?? null, out: rates.out, failed: rates.failed ?? null },
            actions: [...actions],
            error: error ?? null,
          },
        };
      }
    );
}

function wellFormedCheck(): fc.Arbitrary<Case<PulseCheck>> {
  return fc
    .record({
      name: labelText,
      type: fc.constantFrom('http', 'tcp') as fc.Arbitrary<'http' | 'tcp'>,
      target: freeText,
      up: fc.boolean(),
      latencyMs: duration,
      status: fc.integer({ min: 100, max: 599 }),
      method: labelText,
      error: freeText,
      certDaysLeft: fc.integer({ min: -MAX_CERT_DAYS, max: MAX_CERT_DAYS }),
      checkedAt: epoch,
    })
    .map(({ status, ...rest }) => ({ raw: { ...rest, status }, view: { ...rest, statusCode: status } }));
}

/** One well-formed node of `GET /api/pulse/nodes`: a heartbeat with every extension, and the collector's verdict. */
export function wellFormedNode(): fc.Arbitrary<Case<PulseNode>> {
  const worker = fc.record({
    pid: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    cmdline: freeText,
    memory: byteCount,
    cpu: between(0, 100 * MAX_CORES),
    status: labelText,
  });
  return fc
    .record({
      id: idText,
      service: idText,
      language: fc.oneof(fc.constantFrom('node', 'bun', 'deno', 'go', 'php', 'python'), labelText),
      version: labelText,
      pid: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      hostname: freeText,
      platform: labelText,
      cpu: fc.record({
        system: between(0, 100),
        process: between(0, 100 * MAX_CORES),
        cores: fc.integer({ min: 1, max: MAX_CORES }),
      }),
      system: fc.record({ total: byteCount, free: byteCount, used: byteCount, available: byteCount }),
      process: fc.record({ rss: byteCount, heapTotal: byteCount, heapUsed: byteCount }),
      runtime: fc.record({
        uptime: between(0, MAX_DURATION_MS / 1000),
        status: labelText,
        errors: fc.array(freeText, { maxLength: MAX_RUNTIME_ERRORS }),
      }),
      eventLoop: fc.record({ p50: duration, p99: duration, max: duration, utilization: between(0, 1) }),
      container: fc.record({ memoryLimit: byteCount, cpuQuota: between(0, MAX_CORES) }),
      checks: fc.array(wellFormedCheck(), { maxLength: MAX_CHECKS }),
      laravel: fc.record({
        workerCount: fc.maxSafeNat(),
        roots: fc.array(freeText, { maxLength: MAX_WORKERS }),
        workers: fc.array(worker, { maxLength: MAX_WORKERS }),
      }),
      timestamp: epoch,
      status: fc.constantFrom('online', 'stale', 'offline') as fc.Arbitrary<'online' | 'stale' | 'offline'>,
      ageMs: duration,
      lastSeenAt: epoch,
    })
    .map((n) => {
      const hasHeap = n.language !== 'go';
      const raw = {
        id: n.id,
        service: n.service,
        language: n.language,
        version: n.version,
        pid: n.pid,
        hostname: n.hostname,
        platform: n.platform,
        cpu: n.cpu,
        memory: { system: n.system, process: n.process },
        runtime: n.runtime,
        eventLoop: n.eventLoop,
        container: n.container,
        checks: n.checks.map((c) => c.raw),
        meta: { laravel: n.laravel },
        timestamp: n.timestamp,
        status: n.status,
        ageMs: n.ageMs,
        lastSeenAt: n.lastSeenAt,
      };
      const view: PulseNode = {
        id: n.id,
        service: n.service,
        language: n.language,
        version: n.version,
        pid: n.pid,
        hostname: n.hostname,
        platform: n.platform,
        status: n.status,
        ageMs: n.ageMs,
        lastSeenAt: n.lastSeenAt,
        uptimeSeconds: n.runtime.uptime,
        cpu: { systemPercent: n.cpu.system, processPercent: n.cpu.process, cores: n.cpu.cores },
        memory: {
          totalBytes: n.system.total,
          usedBytes: n.system.used,
          availableBytes: n.system.available,
          rssBytes: n.process.rss,
          heapUsedBytes: hasHeap ? n.process.heapUsed : null,
          heapTotalBytes: hasHeap ? n.process.heapTotal : null,
        },
        eventLoop: {
          p50Ms: n.eventLoop.p50,
          p99Ms: n.eventLoop.p99,
          maxMs: n.eventLoop.max,
          utilization: n.eventLoop.utilization,
        },
        container: { memoryLimitBytes: n.container.memoryLimit, cpuQuotaCores: n.container.cpuQuota },
        checks: n.checks.map((c) => c.view),
        laravel: {
          workerCount: n.laravel.workerCount,
          roots: n.laravel.roots,
          workers: n.laravel.workers.map((w) => ({
            pid: w.pid,
            cmdline: w.cmdline,
            memoryBytes: w.memory,
            cpuPercent: w.cpu,
            status: w.status,
          })),
        },
        runtimeStatus: n.runtime.status,
        runtimeErrors: n.runtime.errors,
      };
      return { raw, view };
    });
}
