import fc from 'fast-check';
import {
  MAX_CHECKS,
  MAX_ID_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_NODES,
  MAX_RUNTIME_ERRORS,
  MAX_TEXT_LENGTH,
  MAX_WORKERS,
} from '../api/limits';
import { isShowableTime } from '../format/time';
import { fuzzParameters } from '../testing/fuzz';
import {
  hostileJson,
  hostileValue,
  hugeArray,
  mutated,
  numbersIn,
  ownObject,
  PROTOTYPE_KEYS,
  prototypeSnapshot,
  stringsIn,
  type Path,
} from '../testing/hostileJson';
import { wellFormedNode } from '../testing/wellFormed';
import { readNode, readNodes, type PulseNode } from './node';

/** Every key a node reader looks for, so generated objects hit them. */
const FIELDS = [
  'id', 'service', 'language', 'version', 'pid', 'hostname', 'platform', 'status', 'ageMs', 'lastSeenAt',
  'timestamp', 'runtime', 'uptime', 'errors', 'cpu', 'system', 'process', 'cores', 'memory', 'total', 'free',
  'used', 'available', 'rss', 'heapUsed', 'heapTotal', 'eventLoop', 'p50', 'p99', 'max', 'utilization',
  'container', 'memoryLimit', 'cpuQuota', 'checks', 'name', 'type', 'target', 'up', 'latencyMs', 'method',
  'error', 'certDaysLeft', 'checkedAt', 'meta', 'laravel', 'workers', 'workerCount', 'roots', 'cmdline', 'nodes',
]; // prettier-ignore

/** The places a node reader looks, to write hostile values into a valid node. */
const PATHS: Path[] = [
  ['id'], ['service'], ['language'], ['pid'], ['hostname'], ['status'], ['ageMs'], ['lastSeenAt'], ['timestamp'],
  ['runtime'], ['runtime', 'uptime'], ['runtime', 'errors'], ['runtime', 'errors', 0], ['cpu'], ['cpu', 'system'],
  ['cpu', 'process'], ['cpu', 'cores'], ['memory'], ['memory', 'system'], ['memory', 'system', 'total'],
  ['memory', 'system', 'free'], ['memory', 'system', 'used'], ['memory', 'system', 'available'],
  ['memory', 'process', 'rss'], ['memory', 'process', 'heapUsed'], ['eventLoop'], ['eventLoop', 'p99'],
  ['eventLoop', 'utilization'], ['container'], ['container', 'memoryLimit'], ['container', 'cpuQuota'], ['checks'],
  ['checks', 0], ['checks', 0, 'name'], ['checks', 0, 'up'], ['checks', 0, 'latencyMs'], ['checks', 0, 'status'],
  ['checks', 0, 'certDaysLeft'], ['checks', 0, 'checkedAt'], ['checks', 0, 'target'], ['meta'], ['meta', 'laravel'],
  ['meta', 'laravel', 'workers'], ['meta', 'laravel', 'workers', 0], ['meta', 'laravel', 'workers', 0, 'memory'],
  ['meta', 'laravel', 'workers', 0, 'cpu'], ['meta', 'laravel', 'workerCount'], ['meta', 'laravel', 'roots'],
]; // prettier-ignore

/** A node, or anything in its place: JSON, hostile JSON, and valid nodes with hostile parts. */
const anyNode = fc.oneof(
  fc.jsonValue(),
  hostileJson(FIELDS),
  mutated(
    wellFormedNode().map((c) => c.raw),
    PATHS,
    FIELDS
  )
);

/** Every bound the node view promises. */
function expectBounded(node: PulseNode) {
  expect(node.id.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
  expect(node.service.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
  for (const label of [node.language, node.version, node.platform, node.runtimeStatus]) {
    expect((label ?? '').length).toBeLessThanOrEqual(MAX_LABEL_LENGTH);
  }
  expect(node.checks.length).toBeLessThanOrEqual(MAX_CHECKS);
  expect(node.runtimeErrors.length).toBeLessThanOrEqual(MAX_RUNTIME_ERRORS);
  expect(node.laravel?.workers.length ?? 0).toBeLessThanOrEqual(MAX_WORKERS);
  expect(node.laravel?.roots.length ?? 0).toBeLessThanOrEqual(MAX_WORKERS);
  expect(stringsIn(node).every((s) => s.length <= MAX_TEXT_LENGTH)).toBe(true);
  expect(numbersIn(node).every(Number.isFinite)).toBe(true);
  const { systemPercent } = node.cpu;
  expect(systemPercent === null || (systemPercent >= 0 && systemPercent <= 100)).toBe(true);
  for (const time of [node.lastSeenAt, ...node.checks.map((c) => c.checkedAt)]) {
    expect(time === null || isShowableTime(time)).toBe(true);
  }
  for (const bytes of Object.values(node.memory)) {
    expect(bytes === null || bytes >= 0).toBe(true);
  }
}

describe('readNode, for any input', () => {
  it('never throws, and returns null or a node within every bound', () => {
    fc.assert(
      fc.property(anyNode, fc.option(fc.string(), { nil: undefined }), (value, service) => {
        const node = readNode(value, service);
        if (node !== null) {
          expectBounded(node);
        }
      }),
      fuzzParameters()
    );
  });

  it('never throws on values no JSON holds: NaN, bigints, maps, null prototypes, sparse arrays', () => {
    fc.assert(
      fc.property(hostileValue(FIELDS), (value) => {
        const node = readNode(value);
        expect(node === null || typeof node.id === 'string').toBe(true);
      }),
      fuzzParameters()
    );
  });

  it('reads a well-formed node in the collector’s shape back to the same values', () => {
    fc.assert(
      fc.property(wellFormedNode(), ({ raw, view }) => {
        expect(readNode(raw)).toEqual(view);
      }),
      fuzzParameters()
    );
  });
});

describe('readNode and prototypes', () => {
  it('leaves Object.prototype as it was, whatever the keys', () => {
    const before = prototypeSnapshot();
    fc.assert(
      fc.property(anyNode, (value) => {
        readNode(value);
        readNodes(ownObject([['nodes', ownObject([['__proto__', [value]]])]]));
        expect(prototypeSnapshot()).toEqual(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      fuzzParameters()
    );
  });

  it('reads no inherited property as data', () => {
    fc.assert(
      fc.property(wellFormedNode(), ({ raw }) => {
        // Every field on the prototype, none of its own: nothing to read.
        expect(readNode(Object.create(raw))).toBeNull();
        const node = readNode(Object.assign(Object.create(raw), { id: 'own-id' }))!;
        expect(node.hostname).toBeNull();
        expect(node.cpu).toEqual({ systemPercent: null, processPercent: null, cores: null });
        expect(node.checks).toEqual([]);
      }),
      fuzzParameters()
    );
  });
});

describe('readNodes, for any input', () => {
  it('never throws, and keeps every node within its bounds', () => {
    const reply = fc.oneof(
      fc.jsonValue(),
      hostileJson(FIELDS),
      fc
        .array(
          fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string()), fc.array(anyNode, { maxLength: 4 })),
          {
            maxLength: 6,
          }
        )
        .map((groups) => ownObject([['nodes', ownObject(groups)]]))
    );
    fc.assert(
      fc.property(reply, (value) => {
        readNodes(value).forEach(expectBounded);
      }),
      fuzzParameters()
    );
  });

  it('reads at most MAX_NODES nodes from a reply of hundreds of thousands', () => {
    const minimal = fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }) });
    fc.assert(
      fc.property(hugeArray(minimal), (list) => {
        const nodes = readNodes({ nodes: { a: list, b: list, c: list } });
        expect(nodes).toHaveLength(Math.min(3 * list.length, MAX_NODES));
      }),
      // Each run reads 20,000 nodes: a fortieth of the budget covers both sizes.
      fuzzParameters(0.025)
    );
  });

  it('groups services named like Object.prototype members as themselves', () => {
    fc.assert(
      fc.property(fc.subarray([...PROTOTYPE_KEYS], { minLength: 1 }), wellFormedNode(), (services, { raw }) => {
        const { service: _own, ...anonymous } = raw;
        const reply = ownObject([['nodes', ownObject(services.map((s) => [s, [{ ...anonymous, id: `${s}-1` }]]))]]);
        expect(readNodes(reply).map((n) => [n.service, n.id])).toEqual(services.map((s) => [s, `${s}-1`]));
      }),
      fuzzParameters()
    );
  });
});
