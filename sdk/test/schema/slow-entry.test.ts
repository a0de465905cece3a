/**
 * `parseSlowEntry` as a hostile or broken writer meets it: every slow-log stream is writable by
 * any agent, so each case is an entry that reached the collector's exports before.
 */
import {
  HTTP_STATUS_RANGE,
  MAX_NODE_ID_LENGTH,
  MAX_SLOW_DURATION_MS,
  MAX_SLOW_FIELDS,
  SLOW_FIELD_MAX_LENGTH,
  parseSlowEntry,
  slowEntryToFields,
} from '../../src/schema';
import type { SlowEntry } from '../../src/schema';
import { MAX_EPOCH_MS, MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from '../../src/schema/limits';

const request: SlowEntry = {
  kind: 'request',
  name: 'GET /orders/:id',
  durationMs: 1834,
  thresholdMs: 1000,
  nodeId: 'api-1-42',
  timestamp: 1_767_500_000_123,
  method: 'GET',
  route: '/orders/:id',
  status: 200,
};

/** The request's stream fields with one value replaced, as another writer would store it. */
function fieldsWith(field: string, value: string): string[] {
  const fields = slowEntryToFields(request);
  const i = fields.indexOf(field);
  if (i < 0) return [...fields, field, value];
  fields[i + 1] = value;
  return fields;
}

describe('parseSlowEntry bounds', () => {
  it('refuses a 5 MB node id, which would otherwise become a resource attribute', () => {
    const result = parseSlowEntry(fieldsWith('nodeId', 'n'.repeat(5 * 1024 * 1024)));
    expect(result).toEqual({ ok: false, error: 'nodeId: not a valid node id' });
  });

  it('accepts a node id of the grammar’s longest length and refuses one character more', () => {
    expect(parseSlowEntry(fieldsWith('nodeId', 'n'.repeat(MAX_NODE_ID_LENGTH))).ok).toBe(true);
    expect(parseSlowEntry(fieldsWith('nodeId', 'n'.repeat(MAX_NODE_ID_LENGTH + 1))).ok).toBe(false);
  });

  it.each([
    ['a glob', 'web-*'],
    ['a space', 'web 1'],
    ['a newline', 'web\n1'],
  ])('refuses a node id with %s', (_, nodeId) => {
    expect(parseSlowEntry(fieldsWith('nodeId', nodeId))).toMatchObject({
      ok: false,
      error: /nodeId/,
    });
  });

  it.each([
    ['durationMs', '-1'],
    ['durationMs', '-0.5'],
    ['durationMs', 'Infinity'],
    ['durationMs', 'NaN'],
    ['durationMs', String(MAX_SLOW_DURATION_MS + 1)],
    ['durationMs', '1e308'],
    ['thresholdMs', '-1000'],
    ['thresholdMs', String(MAX_SLOW_DURATION_MS + 1)],
    ['timestamp', '-1'],
    ['timestamp', String(MAX_EPOCH_MS + 1)],
    ['timestamp', 'yesterday'],
  ])('refuses %s = %s', (field, value) => {
    expect(parseSlowEntry(fieldsWith(field, value))).toMatchObject({
      ok: false,
      error: new RegExp(`^${field}:`),
    });
  });

  it('accepts durations, thresholds and timestamps at the ends of their ranges', () => {
    for (const [field, value] of [
      ['durationMs', '0'],
      ['durationMs', String(MAX_SLOW_DURATION_MS)],
      ['thresholdMs', '0'],
      ['timestamp', String(MAX_EPOCH_MS)],
    ] as const) {
      expect(parseSlowEntry(fieldsWith(field, value)).ok).toBe(true);
    }
  });

  it.each(['99', '600', '-200', '70000'])(
    'keeps an entry whose status %s is not an HTTP status code, without the status',
    (status) => {
      const result = parseSlowEntry(fieldsWith('status', status));
      expect(result).toEqual({
        ok: true,
        value: { ...request, status: undefined },
        warnings: ['status: not an HTTP status code, ignored'],
      });
      expect(result.ok && 'status' in result.value).toBe(false);
    },
  );

  it('keeps the first and last HTTP status codes', () => {
    for (const code of [HTTP_STATUS_RANGE.min, HTTP_STATUS_RANGE.max]) {
      const result = parseSlowEntry(fieldsWith('status', String(code)));
      expect(result.ok && result.value.status).toBe(code);
    }
  });

  it('cuts the name and route to 512 characters, the method to a label and the queue to a name', () => {
    const long = (n: number) => 'x'.repeat(n + 1000);
    let fields = fieldsWith('name', long(SLOW_FIELD_MAX_LENGTH));
    fields = [...fields, 'route', long(SLOW_FIELD_MAX_LENGTH)];
    fields = [...fields, 'method', long(MAX_LABEL_LENGTH), 'queue', long(MAX_NAME_LENGTH)];
    const result = parseSlowEntry(fields);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.name).toHaveLength(SLOW_FIELD_MAX_LENGTH);
    expect(result.value.route).toHaveLength(SLOW_FIELD_MAX_LENGTH);
    expect(result.value.method).toHaveLength(MAX_LABEL_LENGTH);
    expect(result.value.queue).toHaveLength(MAX_NAME_LENGTH);
  });

  it('writes what it reads back: the encoder applies the same cuts', () => {
    const entry = { ...request, method: 'M'.repeat(500), queue: 'q'.repeat(500) };
    const result = parseSlowEntry(slowEntryToFields(entry));
    expect(result.ok && result.value.method).toBe('M'.repeat(MAX_LABEL_LENGTH));
    expect(result.ok && result.value.queue).toBe('q'.repeat(MAX_NAME_LENGTH));
  });

  it('refuses an entry with more fields than any writer emits, before walking them', () => {
    const padding = Array.from({ length: MAX_SLOW_FIELDS * 2 }, (_, i) => `x${i}`);
    expect(parseSlowEntry([...slowEntryToFields(request), ...padding])).toEqual({
      ok: false,
      error: `fields: more than ${MAX_SLOW_FIELDS}`,
    });
  });
});
