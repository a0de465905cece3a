/**
 * Properties of the schema's parsers over generated input (fast-check). Seed and budget come
 * from `testing/fuzz.ts`: fixed in `npm test`, larger in `npm run fuzz`. For every parser:
 * it never throws, what it accepts is bounded, valid input survives a round trip, and no key
 * of the input ever reaches a prototype.
 */
import fc from 'fast-check';
import {
  HEARTBEAT_BOUNDS,
  MAX_CHECKS,
  MAX_FAILED_SAMPLE,
  MAX_QUEUES,
  QUEUE_BOUNDS,
  QuasarKeys,
  countEntries,
  isNodeId,
  isServiceName,
  parseCommand,
  parseHeartbeat,
  parseNodeIndexKey,
  parseNodeKey,
  parseQueueSnapshot,
  parseSlowEntry,
  parseSlowLogKey,
  slowEntryToFields,
} from '../../src/schema';
import type { Heartbeat, QueueSnapshot, SlowEntry } from '../../src/schema';
import { fuzzParameters } from '../../../testing/fuzz';

const params = fuzzParameters();

/** Every key a prototype could be reached through. */
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** JSON text holding hostile shapes: prototype keys, deep nesting, long strings, big numbers. */
const hostileJson: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  fc
    .tuple(fc.constantFrom(...PROTO_KEYS), fc.jsonValue({ maxDepth: 3 }))
    .map(([key, value]) => `{"${key}":${JSON.stringify(value)},"polluted":1}`),
  fc.integer({ min: 10, max: 30_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.constantFrom('1e308', '-1e308', '"x"', 'null', '[]', '{}', '{"id":'),
);

/** Inserts `value` as the field `field` of a JSON object text. */
const withField = (objectText: string, field: string, valueText: string) =>
  objectText.replace(/}$/, `,${JSON.stringify(field)}:${valueText}}`);

const serviceName = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,40}$/);
const nodeId = fc.stringMatching(/^[a-z0-9][a-z0-9:._-]{0,60}$/);
const count = fc.integer({ min: 0, max: 1_000_000 });
const epochMs = fc.integer({ min: 0, max: 4_102_444_800_000 });
const ratio = (max: number) =>
  fc.double({ min: 0, max, noNaN: true, noDefaultInfinity: true }).map((v) => (v === 0 ? 0 : v));

const failedJob = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 40 }),
    name: fc.string({ minLength: 1, maxLength: 40 }),
    failedAt: epochMs,
    reason: fc.string({ minLength: 1, maxLength: 200 }),
  },
  { requiredKeys: ['id'] },
);

const queueSnapshot: fc.Arbitrary<QueueSnapshot> = fc.record(
  {
    name: fc.string({ minLength: 1, maxLength: 40 }),
    driver: fc.constantFrom('bullmq', 'laravel', 'redis', 'sqs'),
    size: fc.record({ waiting: count, active: count, failed: count, delayed: count }),
    failedSample: fc.array(failedJob, { maxLength: MAX_FAILED_SAMPLE }),
    oldestWaitingAgeMs: epochMs,
    paused: fc.boolean(),
    actions: fc.subarray(['retry', 'delete']),
    observedAt: epochMs,
  },
  { requiredKeys: ['name', 'driver', 'size'] },
);

const heartbeat: fc.Arbitrary<Heartbeat> = fc.record(
  {
    id: nodeId,
    service: serviceName,
    language: fc.constantFrom('node', 'bun', 'go', 'php', 'python'),
    version: fc.string({ maxLength: 20 }),
    pid: fc.integer({ min: 0, max: 4_000_000 }),
    hostname: fc.string({ maxLength: 60 }),
    platform: fc.constantFrom('linux', 'darwin', 'windows'),
    cpu: fc.record({
      system: ratio(100),
      process: ratio(800),
      cores: fc.integer({ min: 1, max: 256 }),
    }),
    memory: fc.record({
      system: fc.record({ total: count, free: count, used: count }),
      process: fc.record({ rss: count, heapTotal: count, heapUsed: count }),
    }),
    runtime: fc.record({ uptime: ratio(1e7) }),
    timestamp: epochMs,
    queues: fc.array(queueSnapshot, { maxLength: 4 }),
    interval: fc.integer({ min: 100, max: 600_000 }),
    meta: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 4 }), {
      maxKeys: 5,
    }),
  },
  {
    requiredKeys: [
      'id',
      'service',
      'language',
      'pid',
      'hostname',
      'platform',
      'cpu',
      'memory',
      'runtime',
      'timestamp',
    ],
  },
);

/** Asserts that nothing has been added to `Object.prototype`. */
function prototypeUntouched(): void {
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('parseHeartbeat, over generated input', () => {
  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(hostileJson, fc.string()), (text) => {
        parseHeartbeat(text);
      }),
      params,
    );
  });

  it('never throws when a valid heartbeat carries a hostile field, and what it accepts is bounded', () => {
    fc.assert(
      fc.property(
        heartbeat,
        fc.constantFrom('meta', 'queues', 'checks', 'cpu', 'extra', '__proto__', 'loadavg'),
        hostileJson,
        (hb, field, valueText) => {
          const result = parseHeartbeat(withField(JSON.stringify(hb), field, valueText));
          if (!result.ok) return;
          expect(countEntries(result.value, HEARTBEAT_BOUNDS)).toBeDefined();
          expect((result.value.queues ?? []).length).toBeLessThanOrEqual(MAX_QUEUES);
          expect((result.value.checks ?? []).length).toBeLessThanOrEqual(MAX_CHECKS);
          for (const q of result.value.queues ?? []) {
            expect((q.failedSample ?? []).length).toBeLessThanOrEqual(MAX_FAILED_SAMPLE);
          }
          expect(() => JSON.stringify(result.value)).not.toThrow();
          expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
          prototypeUntouched();
        },
      ),
      params,
    );
  });

  it('keeps every valid heartbeat as it was written', () => {
    fc.assert(
      fc.property(heartbeat, (hb) => {
        const text = JSON.stringify(hb);
        const result = parseHeartbeat(text);
        expect(result).toEqual({ ok: true, value: JSON.parse(text), warnings: [] });
      }),
      params,
    );
  });
});

describe('parseQueueSnapshot, over generated input', () => {
  it('never throws, and what it accepts fits the queue bounds', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileJson,
          fc.string(),
          queueSnapshot.map((q) => JSON.stringify(q)),
        ),
        (text) => {
          const result = parseQueueSnapshot(text);
          if (!result.ok) return;
          expect(countEntries(result.value, QUEUE_BOUNDS)).toBeDefined();
          expect((result.value.failedSample ?? []).length).toBeLessThanOrEqual(MAX_FAILED_SAMPLE);
          prototypeUntouched();
        },
      ),
      params,
    );
  });

  it('keeps every valid snapshot as it was written', () => {
    fc.assert(
      fc.property(queueSnapshot, (q) => {
        const text = JSON.stringify(q);
        expect(parseQueueSnapshot(text)).toEqual({
          ok: true,
          value: JSON.parse(text),
          warnings: [],
        });
      }),
      params,
    );
  });
});

describe('parseCommand, over generated input', () => {
  const command = fc.record({
    id: fc.uuid(),
    type: fc.constantFrom('RETRY_JOB', 'DELETE_JOB', 'LARAVEL_ACTION'),
    targetNodeId: fc.oneof(nodeId, fc.constant('*')),
    payload: fc.record({
      queue: fc.string({ minLength: 1, maxLength: 40 }),
      jobKey: fc.string({ maxLength: 40 }),
      driver: fc.constantFrom('redis', 'bullmq'),
    }),
    timestamp: epochMs,
    issuer: fc.constantFrom('zenith', 'quasar-collector'),
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(hostileJson, fc.string()), (text) => {
        parseCommand(text);
        prototypeUntouched();
      }),
      params,
    );
  });

  it('keeps every valid command as it was written', () => {
    fc.assert(
      fc.property(command, (c) => {
        const text = JSON.stringify(c);
        expect(parseCommand(text)).toEqual({ ok: true, value: JSON.parse(text), warnings: [] });
      }),
      params,
    );
  });
});

describe('the key parsers, over generated input', () => {
  it('never throw, and accept only names of the grammar', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        for (const key of [text, `gravito:quasar:node:${text}`, `gravito:quasar:slow:${text}`]) {
          const node = parseNodeKey(key);
          if (node) expect(isServiceName(node.service) && isNodeId(node.nodeId)).toBe(true);
          const service = parseSlowLogKey(key);
          if (service !== undefined) expect(isServiceName(service)).toBe(true);
        }
      }),
      params,
    );
  });

  it('read back every key they build', () => {
    fc.assert(
      fc.property(serviceName, nodeId, (service, id) => {
        expect(parseNodeKey(QuasarKeys.node(service, id))).toEqual({
          service,
          nodeId: id,
          layout: 'v1',
        });
        expect(parseNodeKey(QuasarKeys.v2.node(service, id))).toEqual({
          service,
          nodeId: id,
          layout: 'v2',
        });
        expect(parseSlowLogKey(QuasarKeys.slowLog(service))).toBe(service);
        expect(parseSlowLogKey(QuasarKeys.v2.slowLog(service))).toBe(service);
        expect(parseNodeIndexKey(QuasarKeys.v2.nodeIndex(service))).toBe(service);
      }),
      params,
    );
  });
});

describe('parseSlowEntry, over generated input', () => {
  const field = fc.constantFrom(
    'kind',
    'name',
    'durationMs',
    'thresholdMs',
    'nodeId',
    'timestamp',
    'status',
    'route',
    'method',
    'queue',
    '__proto__',
    'constructor',
  );
  const entry: fc.Arbitrary<SlowEntry> = fc.record(
    {
      kind: fc.constantFrom('request', 'job'),
      name: fc.string({ minLength: 1, maxLength: 60 }),
      durationMs: fc.integer({ min: 0, max: 86_400_000 }),
      thresholdMs: fc.integer({ min: 0, max: 600_000 }),
      nodeId,
      timestamp: epochMs,
      status: fc.integer({ min: 100, max: 599 }),
      route: fc.string({ minLength: 1, maxLength: 60 }),
      method: fc.constantFrom('GET', 'POST'),
      queue: fc.string({ minLength: 1, maxLength: 60 }),
    },
    { requiredKeys: ['kind', 'name', 'durationMs', 'thresholdMs', 'nodeId', 'timestamp'] },
  );

  it('never throws on any list of fields, and what it accepts is bounded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(field, fc.string({ maxLength: 2000 })), { maxLength: 80 }),
        (fields) => {
          const result = parseSlowEntry(fields);
          if (!result.ok) return;
          expect(isNodeId(result.value.nodeId)).toBe(true);
          expect(result.value.durationMs).toBeGreaterThanOrEqual(0);
          for (const value of Object.values(result.value)) {
            if (typeof value === 'string') expect(value.length).toBeLessThanOrEqual(512);
          }
          prototypeUntouched();
        },
      ),
      params,
    );
  });

  it('keeps every valid entry as it was written', () => {
    fc.assert(
      fc.property(entry, (e) => {
        expect(parseSlowEntry(slowEntryToFields(e))).toEqual({ ok: true, value: e, warnings: [] });
      }),
      params,
    );
  });
});
