/**
 * A node's packed points (plain numbers patched into its template, no point objects built)
 * must encode byte for byte what a full encode of its metrics writes, whatever the beats do
 * from cycle to cycle: values, readings that fail, a status that changes, a start time the
 * encoder cannot write, checks that come and go.
 */
import fc from 'fast-check';
import { QuasarKeys } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';
import { CheckErrorCounts } from '../../src/mapping/check-metrics';
import { nodeResource } from '../../src/mapping/node-resource';
import { ResourceCache } from '../../src/mapping/resource-cache';
import { PulseStatus } from '../../src/nodes/node-view';
import type { NodeView } from '../../src/nodes/node-view';
import { METRICS_PROTOBUF_FRAMING, encodeMetricsProtobuf } from '../../src/otlp/encode';
import { ProtobufWriter } from '../../src/otlp/encode/protobuf-writer';
import { PackedPoints, pointsIn } from '../../src/otlp/metric-batch';
import type { ResourceBlock } from '../../src/otlp/metric-batch';
import { original } from '../support/fixtures';

const NOW_MS = 1_767_600_000_000;
const READINGS = ['system_cpu', 'system_memory', 'process_cpu', 'process_memory', 'event_loop'];

interface Variant {
  agent: 'goLaravel' | 'nodeBun';
  status: PulseStatus;
  cpu: number;
  used: number;
  uptime: number;
  startedAt: number | undefined;
  ageMs: number;
  failed: string[];
  selfExport: boolean;
  eventLoop: boolean;
  check: boolean;
  jobs: boolean;
  reported: 'online' | 'degraded' | 'error';
}

const variant: fc.Arbitrary<Variant> = fc.record({
  agent: fc.constantFrom('goLaravel' as const, 'nodeBun' as const),
  status: fc.constantFrom(PulseStatus.online, PulseStatus.stale, PulseStatus.offline),
  cpu: fc.double({ min: 0, max: 100, noNaN: true }),
  used: fc.integer({ min: 0, max: 2 ** 40 }),
  // Up to 100 years: a start time before 1970 is one the encoder leaves out.
  uptime: fc.double({ min: 0, max: 3.2e9, noNaN: true }),
  startedAt: fc.option(fc.integer({ min: 0, max: NOW_MS }), { nil: undefined }),
  ageMs: fc.integer({ min: 0, max: 600_000 }),
  failed: fc.subarray(READINGS),
  selfExport: fc.boolean(),
  eventLoop: fc.boolean(),
  check: fc.boolean(),
  jobs: fc.boolean(),
  reported: fc.constantFrom('online' as const, 'degraded' as const, 'error' as const),
});

function beat(id: string, v: Variant): Heartbeat {
  const base = original(v.agent, {}, NOW_MS - v.ageMs);
  const hb: Heartbeat = {
    ...base,
    id,
    cpu: { ...base.cpu, system: v.cpu },
    memory: { ...base.memory, system: { ...base.memory.system, used: v.used } },
    runtime: {
      ...base.runtime,
      uptime: v.uptime,
      status: v.reported,
      errors: v.failed.map((r) => `reading_failed:${r}`),
    },
    startedAt: v.startedAt,
    otel: { selfExport: v.selfExport },
    eventLoop: v.eventLoop ? { p50: 1, p99: 2, max: 3, utilization: 0.5 } : undefined,
  };
  if (v.check) {
    hb.checks = [
      { name: 'api', type: 'http', target: 'http://x', up: true, latencyMs: 5, checkedAt: NOW_MS },
    ];
  }
  if (v.jobs) {
    const counts = [3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    hb.jobs = [
      {
        queue: 'emails',
        system: 'bullmq',
        since: NOW_MS - 60_000,
        completed: 3,
        failed: 1,
        retried: 0,
        run: { counts, sum: 3_600_004 },
      },
    ];
  }
  return hb;
}

function view(hb: Heartbeat, v: Variant): NodeView {
  return {
    key: QuasarKeys.node(hb.service, hb.id),
    heartbeat: hb,
    status: v.status,
    ageMs: v.ageMs,
    beatAtMs: hb.timestamp,
  };
}

/** The same resource as a plain block with fresh attributes: a full encode, no template. */
const plain = (resource: ResourceBlock): ResourceBlock => ({
  attributes: { ...resource.attributes },
  scope: resource.scope,
  metrics: resource.metrics,
});

/** Counts reads of a resource's `metrics`, which the packed path must not need. */
function countMetricReads(resource: ResourceBlock): { reads: number } {
  const counter = { reads: 0 };
  const prototype = Object.getPrototypeOf(resource) as object;
  Object.defineProperty(resource, 'metrics', {
    get() {
      counter.reads++;
      return Reflect.get(prototype, 'metrics', resource) as ResourceBlock['metrics'];
    },
  });
  return counter;
}

describe('packed node points', () => {
  it('encode exactly what a full encode writes, cycle after cycle, whatever the beats do', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(variant, { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 5 }),
        (cycles) => {
          const options = {
            skipSelfExporting: true,
            checkErrors: new CheckErrorCounts(),
            resources: new ResourceCache(),
          };
          for (const variants of cycles) {
            const resources = variants.map((v, n) =>
              nodeResource(view(beat(`node-${n}`, v), v), NOW_MS, options),
            );
            const packed = Buffer.from(encodeMetricsProtobuf({ resources }));
            const full = Buffer.from(encodeMetricsProtobuf({ resources: resources.map(plain) }));
            expect(packed.equals(full)).toBe(true);
            for (const resource of resources) {
              const points = resource.metrics.reduce((n, m) => n + m.points.length, 0);
              expect(pointsIn(resource)).toBe(points);
            }
            options.resources.rotate();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('patches a node whose shape it has seen without building its metrics', () => {
    const options = {
      skipSelfExporting: true,
      checkErrors: new CheckErrorCounts(),
      resources: new ResourceCache(),
    };
    const v: Variant = {
      agent: 'nodeBun',
      status: PulseStatus.online,
      cpu: 12.5,
      used: 1e9,
      uptime: 3600,
      startedAt: undefined,
      ageMs: 1000,
      failed: [],
      selfExport: false,
      eventLoop: true,
      check: false,
      jobs: false,
      reported: 'online',
    };
    const first = nodeResource(view(beat('n', v), v), NOW_MS, options);
    encodeMetricsProtobuf({ resources: [first] });
    const next = { ...v, cpu: 50, used: 2e9, ageMs: 2000 };
    const second = nodeResource(view(beat('n', next), next), NOW_MS + 2000, options);
    const reads = countMetricReads(second);
    // As the cycle's export writes it: one resource into a request's writer.
    const writer = new ProtobufWriter(4096);
    const points = METRICS_PROTOBUF_FRAMING.write(writer, second);
    const bytes = Buffer.from(writer.finish());
    expect(reads.reads).toBe(0);
    expect(points).toBe(second.metrics.reduce((n, m) => n + m.points.length, 0));
    const full = Buffer.from(encodeMetricsProtobuf({ resources: [plain(second)] }));
    expect(bytes.equals(full)).toBe(true);
  });

  it('has no packed form for a node with job counts, which its full encode carries', () => {
    const v: Variant = {
      agent: 'nodeBun',
      status: PulseStatus.online,
      cpu: 1,
      used: 1,
      uptime: 1,
      startedAt: undefined,
      ageMs: 0,
      failed: [],
      selfExport: false,
      eventLoop: false,
      check: false,
      jobs: true,
      reported: 'online',
    };
    const options = { skipSelfExporting: true, checkErrors: new CheckErrorCounts() };
    const resource = nodeResource(view(beat('j', v), v), NOW_MS, options);
    expect(resource.pack?.(new PackedPoints())).toBe(false);
    const names = resource.metrics.map((m) => m.descriptor.name);
    expect(names).toEqual(
      expect.arrayContaining(['quasar.queue.jobs.processed', 'messaging.process.duration']),
    );
    // A node that exports its own metrics exports its job counts too: the bridge skips both.
    const self = { ...v, selfExport: true };
    const skipped = nodeResource(view(beat('s', self), self), NOW_MS, options);
    expect(skipped.pack?.(new PackedPoints())).toBe(true);
    expect(skipped.metrics.map((m) => m.descriptor.name)).not.toContain(
      'quasar.queue.jobs.processed',
    );
  });

  it('has no packed form for a node with checks, whose error counts are built once', () => {
    const v: Variant = {
      agent: 'goLaravel',
      status: PulseStatus.online,
      cpu: 1,
      used: 1,
      uptime: 1,
      startedAt: undefined,
      ageMs: 0,
      failed: [],
      selfExport: false,
      eventLoop: false,
      check: true,
      jobs: false,
      reported: 'online',
    };
    const resource = nodeResource(view(beat('c', v), v), NOW_MS, {
      skipSelfExporting: true,
      checkErrors: new CheckErrorCounts(),
    });
    expect(resource.pack?.(new PackedPoints())).toBe(false);
  });
});
