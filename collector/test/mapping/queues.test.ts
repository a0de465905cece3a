import { QuasarKeys } from '@gravito/quasar/schema';
import type { Heartbeat, QueueSnapshot } from '@gravito/quasar/schema';
import { collectQueues, queueResources } from '../../src/mapping/queues';
import type { QueueHash, QueueHashes } from '../../src/redis/queue-hashes';
import type { NodeView, PulseStatus } from '../../src/nodes/node-view';
import { Rejections } from '../../src/nodes/rejections';
import type { RejectionLogger } from '../../src/nodes/rejections';
import type { NumberPoint } from '../../src/otlp/metric-batch';
import { original } from '../support/fixtures';

const NOW_MS = 1_767_600_000_000;

/** A service's queue hash as `readQueueHashes` returns it. */
const hash = (fields: Record<string, string>): QueueHash => ({
  fields: Object.entries(fields),
  skipped: 0,
});

class RecordingLogger implements RejectionLogger {
  readonly keys: unknown[] = [];
  warn(fields: Record<string, unknown>): void {
    this.keys.push(fields.key);
  }
}

const queue = (waiting: number, overrides: Partial<QueueSnapshot> = {}): QueueSnapshot => ({
  name: 'emails',
  driver: 'bullmq',
  size: { waiting, active: 1, failed: 0, delayed: 2 },
  ...overrides,
});

function node(
  id: string,
  timestamp: number,
  queues: QueueSnapshot[],
  status: PulseStatus = 'online',
): NodeView {
  const heartbeat: Heartbeat = original('nodeBun', { id, service: 'mailer', queues }, timestamp);
  return { key: QuasarKeys.node('mailer', id), heartbeat, status, ageMs: 0, beatAtMs: timestamp };
}

describe('queues', () => {
  let logger: RecordingLogger;
  let rejections: Rejections;

  beforeEach(() => {
    logger = new RecordingLogger();
    rejections = new Rejections(logger);
  });

  const collect = (views: NodeView[], hashes: QueueHashes = new Map()) =>
    collectQueues(views, hashes, rejections, NOW_MS);

  it('exports a queue reported by five nodes once per (service, queue, state)', () => {
    const views = Array.from({ length: 5 }, (_, i) =>
      node(`mailer-${i}`, NOW_MS - i * 1000, [queue(10 + i)]),
    );
    const resources = queueResources(collect(views), NOW_MS);
    expect(resources).toHaveLength(1);
    expect(resources[0]?.attributes).toEqual({ 'service.name': 'mailer' });
    const jobs = resources[0]?.metrics.find((m) => m.descriptor.name === 'quasar.queue.jobs');
    const keys = (jobs?.points as NumberPoint[]).map(
      (p) => `${p.attributes?.['quasar.queue.name']}/${p.attributes?.['quasar.queue.state']}`,
    );
    expect(keys.sort()).toEqual([
      'emails/active',
      'emails/delayed',
      'emails/failed',
      'emails/waiting',
    ]);
  });

  it('takes the freshest heartbeat among several', () => {
    const views = [
      node('old', NOW_MS - 5000, [queue(1)]),
      node('fresh', NOW_MS - 1000, [queue(2)]),
      node('older', NOW_MS - 9000, [queue(3)]),
    ];
    const [service] = collect(views);
    expect(service?.queues[0]).toMatchObject({
      source: 'heartbeat',
      reportedBy: 'fresh',
      observedAt: NOW_MS - 1000,
    });
    expect(service?.queues[0]?.size.waiting).toBe(2);
  });

  it("prefers a queue's own observedAt to its heartbeat's timestamp", () => {
    const views = [
      node('probe-late', NOW_MS, [queue(1, { observedAt: NOW_MS - 8000 })]),
      node('probe-early', NOW_MS - 2000, [queue(2, { observedAt: NOW_MS - 2000 })]),
    ];
    expect(collect(views)[0]?.queues[0]?.reportedBy).toBe('probe-early');
  });

  it('prefers the service hash to any heartbeat, however fresh', () => {
    const hashes: QueueHashes = new Map([
      ['mailer', hash({ emails: JSON.stringify(queue(99, { observedAt: NOW_MS - 20_000 })) })],
    ]);
    const [service] = collect([node('fresh', NOW_MS, [queue(1)])], hashes);
    expect(service?.queues).toHaveLength(1);
    expect(service?.queues[0]).toMatchObject({ source: 'hash', observedAt: NOW_MS - 20_000 });
    expect(service?.queues[0]?.size.waiting).toBe(99);
  });

  it('ignores a hash field older than one heartbeat TTL, left by a node that stopped watching', () => {
    const hashes: QueueHashes = new Map([
      [
        'mailer',
        hash({
          emails: JSON.stringify(queue(99, { observedAt: NOW_MS - 31_000 })),
          reports: JSON.stringify(queue(5, { name: 'reports', observedAt: NOW_MS - 29_000 })),
        }),
      ],
    ]);
    const [service] = collect([node('fresh', NOW_MS, [queue(1)])], hashes);
    const byName = new Map(service?.queues.map((q) => [q.name, q]));
    // The stale hash field gives way to the live heartbeat's snapshot.
    expect(byName.get('emails')).toMatchObject({ source: 'heartbeat', size: { waiting: 1 } });
    expect(byName.get('reports')).toMatchObject({ source: 'hash', size: { waiting: 5 } });
  });

  it('scales the staleness limit with the slowest node of the service', () => {
    const slow = node('slow', NOW_MS, []);
    slow.heartbeat.interval = 60_000;
    const hashes: QueueHashes = new Map([
      ['mailer', hash({ emails: JSON.stringify(queue(7, { observedAt: NOW_MS - 150_000 })) })],
    ]);
    expect(collect([slow], hashes)[0]?.queues[0]?.size.waiting).toBe(7);
  });

  it('skips and counts a malformed hash field, keeping the others', () => {
    const hashes: QueueHashes = new Map([
      [
        'mailer',
        hash({
          emails: JSON.stringify(queue(4)),
          broken: '{"name":"broken","size":{"waiting":"many"}}',
          junk: 'nope',
        }),
      ],
    ]);
    const [service] = collect([], hashes);
    expect(service?.queues.map((q) => q.name)).toEqual(['emails']);
    expect(rejections.totals.invalid).toBe(2);
    expect(logger.keys).toHaveLength(2);
  });

  it('lists a queue whose probe failed but does not export its zeros', () => {
    const failed = queue(0, { name: 'reports', error: 'NOAUTH Authentication required' });
    const services = collect([node('a', NOW_MS, [queue(3), failed])]);
    expect(services[0]?.queues.map((q) => q.name)).toEqual(['emails', 'reports']);
    const points = queueResources(services, NOW_MS)[0]?.metrics[0]?.points as NumberPoint[];
    expect(points.every((p) => p.attributes?.['quasar.queue.name'] === 'emails')).toBe(true);
  });

  it('exports no resource for a service whose only queue failed', () => {
    const failed = queue(0, { error: 'timeout' });
    expect(queueResources(collect([node('a', NOW_MS, [failed])]), NOW_MS)).toEqual([]);
  });

  it('ignores the queues of offline nodes', () => {
    expect(collect([node('gone', NOW_MS, [queue(5)], 'offline')])).toEqual([]);
  });

  it('keeps services apart and sorted', () => {
    const other: NodeView = {
      ...node('b-1', NOW_MS, []),
      heartbeat: original('goLaravel', {}, NOW_MS),
    };
    const services = collect([node('m-1', NOW_MS, [queue(1)]), other]);
    expect(services.map((s) => s.service)).toEqual(['mailer', 'my-laravel-app']);
  });

  it('exports the oldest waiting age in seconds when the probe knows it', () => {
    const services = collect([node('a', NOW_MS, [queue(1, { oldestWaitingAgeMs: 90_000 })])]);
    const age = queueResources(services, NOW_MS)[0]?.metrics.find(
      (m) => m.descriptor.name === 'quasar.queue.oldest_waiting.age',
    );
    expect((age?.points as NumberPoint[])[0]?.value).toBe(90);
  });

  it('exports throughput per queue and flow, in jobs per minute, where the probe reports it', () => {
    const services = collect([
      node('a', NOW_MS, [
        queue(1, {
          throughput: { in: 12, out: 11, failed: 3, source: 'events', windowMs: 60_000 },
        }),
        queue(1, { name: 'reports', throughput: { out: 4, source: 'horizon' } }),
        queue(1, { name: 'quiet' }),
      ]),
    ]);
    const metric = queueResources(services, NOW_MS)[0]?.metrics.find(
      (m) => m.descriptor.name === 'quasar.queue.throughput',
    );
    expect(metric?.descriptor.unit).toBe('{job}/min');
    const points = (metric?.points as NumberPoint[]).map((p) => [
      p.attributes?.['quasar.queue.name'],
      p.attributes?.['quasar.queue.flow'],
      p.value,
    ]);
    expect(points).toEqual([
      ['emails', 'in', 12],
      ['emails', 'out', 11],
      ['emails', 'failed', 3],
      ['reports', 'out', 4],
    ]);
  });

  it('exports no throughput metric when no queue reports one', () => {
    const services = collect([node('a', NOW_MS, [queue(1)])]);
    const names = queueResources(services, NOW_MS)[0]?.metrics.map((m) => m.descriptor.name);
    expect(names).not.toContain('quasar.queue.throughput');
  });
});
