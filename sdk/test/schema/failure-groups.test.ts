/** A queue snapshot's `failureGroups`: bounded groups kept, hostile or broken ones dropped. */
import {
  MAX_FAILURE_GROUPS,
  MAX_FAILURE_TEXT,
  MAX_QUEUE_FIELD_BYTES,
  QUEUE_BOUNDS,
  countEntries,
  parseQueueSnapshot,
} from '../../src/schema';

const size = { waiting: 0, active: 0, failed: 3, delayed: 0 };
const parse = (failureGroups: unknown) => {
  const result = parseQueueSnapshot({ name: 'emails', driver: 'bullmq', size, failureGroups });
  if (!result.ok) throw new Error(result.error);
  return result;
};
const group = (over: Record<string, unknown> = {}) => ({
  key: '0123456789abcdef',
  message: 'User <n> not found',
  frame: 'findUser (/app/users.js)',
  count: 3,
  firstSeen: 1_700_000_000_000,
  lastSeen: 1_700_000_060_000,
  example: { id: '42', name: 'sync', failedAt: 1_700_000_060_000, reason: 'User 7 not found' },
  ...over,
});

describe('queue snapshot failure groups', () => {
  it('keeps well-formed groups as they are', () => {
    const value = {
      groups: [group(), group({ key: 'fedcba9876543210', frame: undefined })],
      others: 2,
      scanned: 8,
    };
    const result = parse(JSON.parse(JSON.stringify(value)));
    expect(result.value.failureGroups).toEqual(JSON.parse(JSON.stringify(value)));
    expect(result.warnings).toEqual([]);
  });

  it('cuts a long message, frame and example reason to the bound', () => {
    const long = 'x'.repeat(5_000);
    const [kept] =
      parse({
        groups: [group({ message: long, frame: long, example: { id: '1', reason: long } })],
        others: 0,
        scanned: 1,
      }).value.failureGroups?.groups ?? [];
    expect(kept?.message).toHaveLength(MAX_FAILURE_TEXT);
    expect(kept?.frame).toHaveLength(MAX_FAILURE_TEXT);
    expect(kept?.example.reason).toHaveLength(MAX_FAILURE_TEXT);
  });

  it(`keeps at most ${MAX_FAILURE_GROUPS} groups and says how many it dropped`, () => {
    const groups = Array.from({ length: 30 }, (_, i) => group({ key: i.toString(16) }));
    const result = parse({ groups, others: 0, scanned: 90 });
    expect(result.value.failureGroups?.groups).toHaveLength(MAX_FAILURE_GROUPS);
    expect(result.warnings).toEqual([
      `failureGroups: 20 groups beyond the first ${MAX_FAILURE_GROUPS} valid ones ignored`,
    ]);
  });

  it.each([
    ['a __proto__ key', { key: '__proto__' }],
    ['an upper-case key', { key: 'ABC' }],
    ['a NaN count', { count: NaN }],
    ['a zero count', { count: 0 }],
    ['a fractional count', { count: 1.5 }],
    ['an infinite count', { count: Infinity }],
    ['an empty message', { message: '' }],
    ['a message that is not text', { message: { toString: 'x' } }],
    ['an example without an id', { example: { reason: 'x' } }],
    ['an example id too long', { example: { id: 'x'.repeat(300) } }],
    ['no example', { example: null }],
  ])('drops a group with %s, keeping the others', (_, over) => {
    const result = parse({ groups: [group(over), group({ key: 'ff' })], others: 0, scanned: 6 });
    expect(result.value.failureGroups?.groups.map((g) => g.key)).toEqual(['ff']);
    expect(result.warnings).toHaveLength(1);
  });

  it('leaves out times out of range and never takes fields it does not know', () => {
    const [kept] =
      parse({
        groups: [group({ firstSeen: NaN, lastSeen: 1e20, extra: 'x', __proto__: { polluted: 1 } })],
        others: 0,
        scanned: 3,
      }).value.failureGroups?.groups ?? [];
    expect(kept).not.toHaveProperty('firstSeen');
    expect(kept).not.toHaveProperty('lastSeen');
    expect(kept).not.toHaveProperty('extra');
    expect(Object.keys(kept ?? {}).sort()).toEqual(['count', 'example', 'frame', 'key', 'message']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['not an object', 'groups'],
    ['no groups', { others: 0, scanned: 0 }],
    ['groups that are not a list', { groups: { 0: group() }, others: 0, scanned: 1 }],
    ['a NaN scanned', { groups: [], others: 0, scanned: NaN }],
    ['a negative others', { groups: [], others: -1, scanned: 0 }],
  ])('drops the whole field when it is %s, with a warning', (_, value) => {
    const result = parse(value);
    expect(result.value).not.toHaveProperty('failureGroups');
    expect(result.warnings).toHaveLength(1);
  });

  it('fits the queue bounds with every field at its largest, beside a full failed sample', () => {
    const long = 'y'.repeat(MAX_FAILURE_TEXT);
    const example = { id: 'i'.repeat(256), name: 'n'.repeat(256), failedAt: 1, reason: long };
    const snapshot = {
      name: 'emails',
      driver: 'bullmq',
      size,
      failedSample: Array.from({ length: 20 }, () => ({ ...example, reason: 'r'.repeat(1_000) })),
      failureGroups: {
        groups: Array.from({ length: MAX_FAILURE_GROUPS }, (_, i) =>
          group({ key: i.toString(16).padStart(16, '0'), message: long, frame: long, example }),
        ),
        others: 5,
        scanned: 100,
      },
    };
    const result = parseQueueSnapshot(JSON.stringify(snapshot));
    expect(result.ok && result.value.failureGroups?.groups).toHaveLength(MAX_FAILURE_GROUPS);
    expect(countEntries(snapshot, QUEUE_BOUNDS)).toBeLessThan(QUEUE_BOUNDS.maxEntries / 4);
    expect(Buffer.byteLength(JSON.stringify(snapshot))).toBeLessThan(MAX_QUEUE_FIELD_BYTES);
  });
});
