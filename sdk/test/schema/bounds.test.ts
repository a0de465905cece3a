/**
 * The bounds of `limits.ts` as a hostile or broken agent meets them: nesting, sizes, counts
 * and ranges. Each case is a payload that reached the collector's API or exports before.
 */
import { parseHeartbeat, parseQueueSnapshot } from '../../src/schema';
import { original, variant } from './fixtures';

const BUN = 'heartbeat-node-sdk-bun.json';

/** `levels` nested objects, built without recursion, as `{"a":{"a":…}}`. */
function nested(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let at = root;
  for (let i = 1; i < levels; i++) {
    const next: Record<string, unknown> = {};
    at.a = next;
    at = next;
  }
  return root;
}

/** The same, as JSON text, for depths `JSON.stringify` cannot reach. */
const nestedText = (levels: number) => '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);

const queue = (extra: Record<string, unknown> = {}) => ({
  name: 'emails',
  driver: 'bullmq',
  size: { waiting: 1, active: 0, failed: 2, delayed: 0 },
  ...extra,
});

describe('parseHeartbeat bounds', () => {
  it('refuses a heartbeat whose meta is nested 100,000 levels deep, without overflowing', () => {
    const text = JSON.stringify(original(BUN)).replace(/}$/, `,"meta":${nestedText(100_000)}}`);
    const result = parseHeartbeat(text);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/nested deeper than 16/) });
  });

  it('accepts meta up to the nesting bound and refuses one level more', () => {
    // The heartbeat is level 1 and meta level 2, so meta may hold 15 levels.
    expect(parseHeartbeat({ ...original(BUN), meta: nested(15) }).ok).toBe(true);
    expect(parseHeartbeat({ ...original(BUN), meta: nested(16) }).ok).toBe(false);
  });

  it('refuses a heartbeat with more than 50,000 entries', () => {
    const meta = { list: new Array(50_001).fill(0) };
    expect(parseHeartbeat({ ...original(BUN), meta })).toEqual({
      ok: false,
      error: expect.stringMatching(/50000 entries/),
    });
  });

  it.each([
    [
      'negative cores',
      'cpu',
      { system: 10, process: 1, cores: -4 },
      /cpu\.cores: -4 is out of range/,
    ],
    ['a CPU share over 100 %', 'cpu', { system: 250, process: 1, cores: 4 }, /cpu\.system/],
    [
      '1e308 bytes of RSS',
      'memory',
      {
        system: { total: 1, free: 1, used: 0 },
        process: { rss: 1e308, heapTotal: 1, heapUsed: 1 },
      },
      /memory\.process\.rss/,
    ],
    ['a timestamp of 1e16', 'timestamp', 1e16, /timestamp/],
    ['a negative pid', 'pid', -1, /pid/],
    ['a 5 MB hostname', 'hostname', 'h'.repeat(5 << 20), /hostname: longer than 256/],
    ['a 5 MB node id', 'id', 'n'.repeat(5 << 20), /id: expected a node id/],
  ])('refuses %s and says which field', (_what, field, value, message) => {
    const result = parseHeartbeat(variant(original(BUN), field, value));
    expect(result).toEqual({ ok: false, error: expect.stringMatching(message) });
  });

  it('drops an interval of 1e308 ms with a warning, so the default interval applies', () => {
    const result = parseHeartbeat({ ...original(BUN), interval: 1e308 });
    expect(result.ok && result.value.interval).toBeUndefined();
    expect(result.ok && result.warnings).toEqual([expect.stringMatching(/^interval: malformed/)]);
  });

  it('keeps at most 256 queues and says how many it dropped', () => {
    const queues = Array.from({ length: 300 }, (_, i) => queue({ name: `q${i}` }));
    const result = parseHeartbeat({ ...original(BUN), queues });
    expect(result.ok && result.value.queues).toHaveLength(256);
    expect(result.ok && result.warnings).toContain(
      'queues: 44 entries beyond the first 256 ignored',
    );
  });

  it('keeps a key named __proto__ as data, never as the prototype', () => {
    const text = JSON.stringify(original(BUN)).replace(/}$/, ',"__proto__":{"polluted":true}}');
    const result = parseHeartbeat(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect((result.value as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseQueueSnapshot bounds', () => {
  it('refuses one snapshot holding 60,000 failed jobs', () => {
    const failedSample = Array.from({ length: 60_000 }, (_, i) => ({ id: String(i) }));
    expect(parseQueueSnapshot(JSON.stringify(queue({ failedSample })))).toEqual({
      ok: false,
      error: expect.stringMatching(/over 2000 entries/),
    });
  });

  it('keeps the first 20 valid failed jobs, cut to their bounds', () => {
    const failedSample = [
      { id: '' },
      ...Array.from({ length: 30 }, (_, i) => ({ id: `j${i}`, reason: 'r'.repeat(5000) })),
    ];
    const result = parseQueueSnapshot(queue({ failedSample }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.failedSample?.map((j) => j.id)).toEqual(
      Array.from({ length: 20 }, (_, i) => `j${i}`),
    );
    expect(result.value.failedSample?.[0]?.reason).toHaveLength(1000);
  });

  it('drops a failedAt that no clock can show (1e16) and keeps the job', () => {
    const result = parseQueueSnapshot(queue({ failedSample: [{ id: '7', failedAt: 1e16 }] }));
    expect(result.ok && result.value.failedSample).toEqual([{ id: '7' }]);
  });

  it.each([
    ['a negative count', { waiting: -1, active: 0, failed: 0, delayed: 0 }],
    ['a state named __proto__', JSON.parse('{"waiting":1,"__proto__":2}') as unknown],
    ['40 states', Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`s${i}`, 0]))],
  ])('refuses a size with %s', (_what, size) => {
    expect(parseQueueSnapshot(queue({ size })).ok).toBe(false);
  });

  it('refuses a queue name of 5 MB', () => {
    expect(parseQueueSnapshot(queue({ name: 'q'.repeat(5 << 20) })).ok).toBe(false);
  });
});
