import { availableMemory, intervalOf, parseHeartbeat } from '../../src/schema';
import type { Heartbeat } from '../../src/schema';
import { original, variant } from './fixtures';

const GO = 'heartbeat-go-agent-laravel.json';
const BUN = 'heartbeat-node-sdk-bun.json';

function valid(input: unknown): Heartbeat {
  const result = parseHeartbeat(input);
  if (!result.ok) throw new Error(`expected valid, got: ${result.error}`);
  return result.value;
}

describe('parseHeartbeat with the original agents', () => {
  it('reads the Go agent heartbeat, including runtime.status and meta.laravel', () => {
    const hb = valid(JSON.stringify(original(GO)));
    expect(hb.language).toBe('go');
    expect(hb.cpu).toEqual({ system: 37.45, process: 0.12, cores: 4 });
    expect(hb.runtime.status).toBe('online');
    expect((hb.meta?.laravel as { workerCount: number }).workerCount).toBe(1);
    expect(hb.queues?.[0]?.size.delayed).toBe(3);
  });

  it("reads the Go agent's free memory as available", () => {
    const hb = valid(original(GO));
    expect(availableMemory(hb)).toBe(5133336576);
  });

  it('reads the Node SDK 1.0 heartbeat from Bun', () => {
    const hb = valid(original(BUN));
    expect(hb.language).toBe('bun');
    expect(hb.version).toBe('1.1.38');
    expect(hb.memory.process.heapUsed).toBe(20971520);
    expect(hb.runtime.uptime).toBe(1234.56);
  });

  it('assumes the originals beat every 10 s', () => {
    expect(intervalOf(valid(original(BUN)))).toBe(10_000);
  });

  it.each([
    ['version absent', BUN, 'version', undefined],
    ['queues absent (no probes)', BUN, 'queues', undefined],
    ['Go runtime.errors', GO, 'runtime.errors', ['transport_redis_offline']],
    ['Go degraded status', GO, 'runtime.status', 'degraded'],
    ['meta.laravel.roots null', GO, 'meta.laravel.roots', null],
    ['meta.laravel.workers null', GO, 'meta.laravel.workers', null],
    ['Go platform windows', GO, 'platform', 'windows'],
    ['integer cpu.system from Node', BUN, 'cpu.system', 23],
    ['language php', BUN, 'language', 'php'],
    ['language python', BUN, 'language', 'python'],
    ['an unknown runtime', BUN, 'language', 'zig'],
    ['Go agent copying RSS into heap fields', GO, 'memory.process.heapUsed', 14155776],
    ['unknown top-level field', BUN, 'somethingNew', { nested: true }],
  ])('accepts the variant: %s', (_label, file, path, patch) => {
    const hb = valid(variant(original(file), path, patch));
    expect(hb.id).toBeTruthy();
  });

  it('keeps unknown fields', () => {
    const hb = valid(variant(original(BUN), 'somethingNew', 42));
    expect(hb.somethingNew).toBe(42);
  });
});

describe('parseHeartbeat with bad input', () => {
  it.each([
    ['not JSON', '{"id":', 'not valid JSON'],
    ['an array', '[]', 'expected an object'],
    ['no id', variant(original(BUN), 'id', undefined), 'id: expected a node id'],
    ['empty service', variant(original(BUN), 'service', ''), 'service: expected a service name'],
    [
      'cpu.system as text',
      variant(original(BUN), 'cpu.system', '23%'),
      'cpu.system: expected a number',
    ],
    ['memory missing', variant(original(GO), 'memory', undefined), 'memory: expected an object'],
    [
      'timestamp NaN-like',
      variant(original(GO), 'timestamp', 'now'),
      'timestamp: expected a number',
    ],
    [
      'runtime.uptime missing',
      variant(original(GO), 'runtime.uptime', undefined),
      'runtime.uptime',
    ],
  ])('rejects %s and says why', (_label, input, message) => {
    const result = parseHeartbeat(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });

  it('names a function passed as a field, never quoting its source', () => {
    const result = parseHeartbeat({ ...original(BUN), service: () => 'source-text' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^service: .*, got a function$/);
  });

  it('drops a malformed extension with a warning and keeps the beat', () => {
    const input = { ...original(BUN), loadavg: [1, 'x', 3], interval: -5, eventLoop: { p50: 1 } };
    const result = parseHeartbeat(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.loadavg).toBeUndefined();
    expect(result.value.interval).toBeUndefined();
    expect(result.value.eventLoop).toBeUndefined();
    expect(result.warnings).toHaveLength(3);
  });

  it('drops malformed queue entries and keeps the good ones', () => {
    const queues = [
      { name: 'ok', driver: 'redis', size: { waiting: 1, active: 0, failed: 0, delayed: 0 } },
      { name: 'bad', driver: 'redis', size: { waiting: 'many' } },
      'not a queue',
    ];
    const result = parseHeartbeat({ ...original(BUN), queues });
    expect(result.ok && result.value.queues?.map((q) => q.name)).toEqual(['ok']);
    expect(result.ok && result.warnings[0]).toContain('2 malformed entries');
  });
});

describe('heartbeat extensions', () => {
  const extended = {
    ...original(BUN),
    memory: {
      system: { total: 1000, free: 400, used: 600, available: 400 },
      process: { rss: 10, heapTotal: 8, heapUsed: 4 },
    },
    loadavg: [0.5, 0.25, 0.1],
    eventLoop: { p50: 0.2, p99: 3.5, max: 12, utilization: 0.31 },
    interval: 5000,
    startedAt: 1767499990000,
    sdk: { name: '@gravito/quasar', version: '1.1.0' },
    otel: { selfExport: true },
    container: { memoryLimit: 1000, cpuQuota: 1.5 },
  };

  it('validates every extension field', () => {
    const result = parseHeartbeat(extended);
    expect(result.ok && result.warnings).toEqual([]);
    const hb = valid(extended);
    expect(hb.eventLoop?.p99).toBe(3.5);
    expect(hb.container?.cpuQuota).toBe(1.5);
    expect(hb.otel?.selfExport).toBe(true);
  });
});
