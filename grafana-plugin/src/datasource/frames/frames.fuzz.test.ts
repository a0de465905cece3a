import fc from 'fast-check';
import type { DataFrame } from '@grafana/data';
import { MAX_ENTRIES, MAX_NODES, MAX_TEXT_LENGTH } from '../../api/limits';
import { fuzzParameters } from '../../testing/fuzz';
import {
  hostileJson,
  hostileValue,
  hugeArray,
  ownObject,
  PROTOTYPE_KEYS,
  prototypeSnapshot,
} from '../../testing/hostileJson';
import { auditFrame } from './audit';
import { UnexpectedReplyError } from './entries';
import { nodesFrame } from './nodes';
import { queuesFrame } from './queues';
import { slowFrame } from './slow';

const FRAMES = { nodes: nodesFrame, queues: queuesFrame, slow: slowFrame, audit: auditFrame };
const ENVELOPES = ['nodes', 'queues', 'entries'];
const FIELDS = [
  ...ENVELOPES,
  'id', 'service', 'name', 'kind', 'timestamp', 'durationMs', 'thresholdMs', 'nodeId', 'status', 'queue', 'traceId',
  'at', 'action', 'scope', 'jobId', 'actor', 'outcome', 'result', 'affected', 'reason', 'size', 'failed', 'paused',
]; // prettier-ignore

/** A reply in the right envelope for every frame, whatever it holds. */
const enveloped = fc
  .tuple(
    fc.oneof(hostileJson(FIELDS), hugeArray(hostileJson(FIELDS), [5_000])),
    fc.array(fc.constantFrom(...PROTOTYPE_KEYS))
  )
  .map(([inner, keys]) => {
    const list = Array.isArray(inner) ? inner : [inner];
    const groups = ownObject([['svc', list], ...keys.map((k): [string, unknown] => [k, list])]);
    return { nodes: groups, queues: groups, entries: list };
  });

/** A cell a panel can show: null, a boolean, a finite number or a bounded string. */
function isBoundedCell(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && value.length <= MAX_TEXT_LENGTH)
  );
}

/** Every field has one value per row, and every value is a bounded cell. */
function expectBoundedCells(frame: DataFrame) {
  const bad = frame.fields.filter((f) => f.values.length !== frame.length || !f.values.every(isBoundedCell));
  expect(bad.map((f) => f.name)).toEqual([]);
}

describe.each(Object.entries(FRAMES))('the %s frame, for any reply', (_name, toFrame) => {
  it('is a frame of bounded cells, or an UnexpectedReplyError for a reply of the wrong shape', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), hostileValue(FIELDS), enveloped), (body) => {
        let frame: DataFrame;
        try {
          frame = toFrame('A', body);
        } catch (error) {
          expect(error).toBeInstanceOf(UnexpectedReplyError);
          return;
        }
        expect(frame.length).toBeLessThanOrEqual(Math.max(MAX_ENTRIES, MAX_NODES));
        expectBoundedCells(frame);
      }),
      fuzzParameters()
    );
  });

  it('never throws on a reply in its envelope, and leaves Object.prototype as it was', () => {
    const before = prototypeSnapshot();
    fc.assert(
      fc.property(enveloped, (body) => {
        expectBoundedCells(toFrame('A', body));
        expect(prototypeSnapshot()).toEqual(before);
      }),
      fuzzParameters(0.25)
    );
  });
});

describe('the slow-log and audit frames', () => {
  it('read at most MAX_ENTRIES rows', () => {
    fc.assert(
      fc.property(hugeArray(fc.record({ id: fc.string(), timestamp: fc.nat(), at: fc.nat() })), (entries) => {
        expect(slowFrame('A', { entries }).length).toBe(Math.min(entries.length, MAX_ENTRIES));
        expect(auditFrame('A', { entries }).length).toBe(Math.min(entries.length, MAX_ENTRIES));
      }),
      fuzzParameters(0.1)
    );
  });
});
