/**
 * The schema pieces the collector and the probes share: availability-check results in a
 * heartbeat, queue snapshots in the per-service hash, slow-log stream keys and entries.
 */
import {
  QuasarKeys,
  parseHeartbeat,
  parseQueueSnapshot,
  parseSlowEntry,
  parseSlowLogKey,
  slowEntryToFields,
} from '../../src/schema';
import type { CheckResult, SlowEntry } from '../../src/schema';
import { original } from './fixtures';

const check: CheckResult = {
  name: 'api',
  type: 'http',
  target: 'https://api.internal/healthz',
  up: true,
  latencyMs: 12.5,
  status: 200,
  certDaysLeft: 41,
  checkedAt: 1767500000000,
};

describe('heartbeat keyLayout', () => {
  it('keeps v1 and v2, and reads a heartbeat without it as v1 (absent)', () => {
    for (const keyLayout of ['v1', 'v2'] as const) {
      const result = parseHeartbeat({ ...original('heartbeat-node-sdk-bun.json'), keyLayout });
      expect(result.ok && result.value.keyLayout).toBe(keyLayout);
      expect(result.ok && result.warnings).toEqual([]);
    }
    const plain = parseHeartbeat(original('heartbeat-node-sdk-bun.json'));
    expect(plain.ok && plain.value.keyLayout).toBeUndefined();
  });

  it.each([['v3'], ['V2'], [2], [{ layout: 'v2' }], ['v2'.repeat(1000)]])(
    'drops %p with a warning and keeps the beat',
    (keyLayout) => {
      const result = parseHeartbeat({ ...original('heartbeat-node-sdk-bun.json'), keyLayout });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value).not.toHaveProperty('keyLayout');
      expect(result.warnings).toEqual([expect.stringMatching(/^keyLayout: malformed/)]);
    },
  );
});

describe('heartbeat checks', () => {
  it('keeps well-formed check results', () => {
    const result = parseHeartbeat({ ...original('heartbeat-node-sdk-bun.json'), checks: [check] });
    expect(result.ok && result.value.checks).toEqual([check]);
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('drops malformed check results with a warning and keeps the rest of the beat', () => {
    const bad = [{ ...check, up: 'yes' }, { ...check, type: 'icmp' }, { name: 'x' }];
    const result = parseHeartbeat({
      ...original('heartbeat-go-agent-laravel.json'),
      checks: [check, ...bad],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.checks).toEqual([check]);
    expect(result.warnings).toEqual(['checks: 3 malformed entries ignored']);
  });

  it('ignores a checks field that is not an array', () => {
    const result = parseHeartbeat({ ...original('heartbeat-node-sdk-bun.json'), checks: {} });
    expect(result.ok && result.value.checks).toBeUndefined();
  });
});

describe('parseQueueSnapshot', () => {
  const snapshot = {
    name: 'emails',
    driver: 'bullmq',
    size: { waiting: 3, active: 1, delayed: 0, failed: 2, prioritized: 4 },
    failedSample: [{ id: '17', name: 'send', failedAt: 1767500000000, reason: 'SMTP 550' }],
    oldestWaitingAgeMs: 5300,
    observedAt: 1767500000123,
  };

  it('reads the JSON a probe stores in the queue hash', () => {
    expect(parseQueueSnapshot(JSON.stringify(snapshot))).toEqual({
      ok: true,
      value: snapshot,
      warnings: [],
    });
  });

  it('defaults the driver to the originals’ "redis"', () => {
    const rest: Record<string, unknown> = { ...snapshot };
    delete rest.driver;
    const result = parseQueueSnapshot(rest);
    expect(result.ok && result.value.driver).toBe('redis');
  });

  it('rejects non-JSON, a missing name and non-numeric counts', () => {
    expect(parseQueueSnapshot('{nope')).toEqual({ ok: false, error: 'not valid JSON' });
    expect(parseQueueSnapshot({ size: {} }).ok).toBe(false);
    expect(parseQueueSnapshot({ name: 'q', size: { waiting: 'many' } }).ok).toBe(false);
  });

  it('drops malformed optional fields with a warning', () => {
    const result = parseQueueSnapshot({ ...snapshot, observedAt: 'now', failedSample: 'x' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.observedAt).toBeUndefined();
    expect(result.value.failedSample).toBeUndefined();
    expect(result.warnings).toHaveLength(2);
  });

  it('keeps a boolean paused flag and drops any other with a warning', () => {
    const paused = parseQueueSnapshot({ ...snapshot, paused: true });
    expect(paused.ok && paused.value.paused).toBe(true);
    expect(paused.ok && paused.warnings).toEqual([]);

    const result = parseQueueSnapshot({ ...snapshot, paused: 1 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual(snapshot);
    expect(result.warnings).toEqual(['paused: not a boolean, ignored']);
  });

  it('keeps the remote-control verbs a queue accepts and drops anything but strings', () => {
    const ok = parseQueueSnapshot({ ...snapshot, actions: ['retry', 'delete'] });
    expect(ok.ok && ok.value.actions).toEqual(['retry', 'delete']);

    const result = parseQueueSnapshot({ ...snapshot, actions: ['retry', 7] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual(snapshot);
    expect(result.warnings).toEqual(['actions: not an array of strings, ignored']);
  });
});

describe('slow-log keys and entries', () => {
  it('parses a slow-log stream key back to its service', () => {
    expect(parseSlowLogKey(QuasarKeys.slowLog('orders-api'))).toBe('orders-api');
    // A service name cannot hold a `:`, so such a stream is not one of ours.
    expect(parseSlowLogKey(QuasarKeys.slowLog('a:b'))).toBeUndefined();
    expect(parseSlowLogKey(QuasarKeys.node('orders-api', 'n1'))).toBeUndefined();
    expect(parseSlowLogKey('gravito:quasar:slow:')).toBeUndefined();
  });

  it('scans the whole namespace with one pattern', () => {
    expect(QuasarKeys.namespaceScanPattern).toBe('gravito:quasar:*');
    expect(QuasarKeys.slowLogScanPattern).toBe('gravito:quasar:slow:*');
  });

  it('round-trips every field through the stream encoding', () => {
    const entry: SlowEntry = {
      kind: 'request',
      name: 'GET /orders/:id',
      durationMs: 1834.5,
      thresholdMs: 1000,
      nodeId: 'api-1-42',
      timestamp: 1767500000123,
      method: 'GET',
      route: '/orders/:id',
      status: 200,
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
    };
    expect(parseSlowEntry(slowEntryToFields(entry))).toEqual({
      ok: true,
      value: entry,
      warnings: [],
    });
  });

  it('rejects entries without a kind, name, node or numeric duration', () => {
    const fields = slowEntryToFields({
      kind: 'job',
      name: 'Reindex',
      durationMs: 9000,
      thresholdMs: 5000,
      nodeId: 'w-1',
      timestamp: 1,
    });
    const without = (field: string) => {
      const copy = [...fields];
      const i = copy.indexOf(field);
      copy.splice(i, 2);
      return copy;
    };
    expect(parseSlowEntry(without('kind'))).toMatchObject({ ok: false, error: /kind/ });
    expect(parseSlowEntry(without('name'))).toMatchObject({ ok: false, error: /name/ });
    expect(parseSlowEntry(without('nodeId'))).toMatchObject({ ok: false, error: /nodeId/ });
    const slow = fields.map((f, i) => (fields[i - 1] === 'durationMs' ? 'slow' : f));
    expect(parseSlowEntry(slow)).toMatchObject({ ok: false, error: /durationMs/ });
  });

  it('keeps an entry with a bad status, warning about it', () => {
    const fields = [
      ...slowEntryToFields({
        kind: 'request',
        name: 'GET /',
        durationMs: 1200,
        thresholdMs: 1000,
        nodeId: 'n',
        timestamp: 1,
      }),
      'status',
      'teapot',
    ];
    const result = parseSlowEntry(fields);
    expect(result.ok && result.value.status).toBeUndefined();
    expect(result.ok && result.warnings).toEqual(['status: not an integer, ignored']);
  });

  it('cuts overlong names instead of rejecting them', () => {
    const fields = slowEntryToFields({
      kind: 'job',
      name: 'x'.repeat(2000),
      durationMs: 6000,
      thresholdMs: 5000,
      nodeId: 'n',
      timestamp: 1,
    });
    const result = parseSlowEntry(fields);
    expect(result.ok && result.value.name.length).toBe(512);
  });
});
