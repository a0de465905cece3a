/**
 * The events-stream window on replies shaped as Redis sends them: the cases a live BullMQ does
 * not produce on demand (Redis 6's XINFO, a recreated stream) and replies that are not what
 * they should be, which cost the window and nothing else.
 */
import { EventsThroughput } from '../../../../src/queues/drivers/bullmq/events-throughput';
import type { EventsReplies } from '../../../../src/queues/drivers/bullmq/events-throughput';
import {
  parseStreamEvents,
  parseStreamInfo,
} from '../../../../src/queues/drivers/bullmq/stream-reply';

/** `XINFO STREAM` as Redis 7 (with `entries-added`) or Redis 6 (without) answers it. */
function info(first: string | null, last: string, length: number, added?: number): unknown[] {
  return [
    'length',
    length,
    'last-generated-id',
    last,
    ...(added === undefined ? [] : ['max-deleted-entry-id', '0-0', 'entries-added', added]),
    'first-entry',
    first === null ? null : [first, ['event', 'added']],
  ];
}
const time = (ms: number) => [String(Math.floor(ms / 1000)), String((ms % 1000) * 1000)];
const entry = (id: string, event: string) => [id, ['event', event, 'jobId', '1']];
const NOW = 1_000_000;
/** One read's replies, from where `w` would start it. */
const replies = (w: EventsThroughput, r: Partial<EventsReplies>): EventsReplies => ({
  start: w.rangeStart(NOW),
  entries: [],
  info: null,
  time: time(NOW),
  metrics: [null, null],
  ...r,
});

describe('EventsThroughput', () => {
  it('on Redis 6, treats a window that starts before the oldest entry left as a gap', () => {
    const w = new EventsThroughput();
    expect(w.advance(replies(w, { info: info('100-0', '200-0', 5) })).kind).toBe('started');
    expect(w.rangeStart(NOW)).toBe('200-1');
    const next = replies(w, {
      entries: [entry('300-0', 'added')],
      info: info('250-0', '300-0', 3),
      time: time(1_060_000),
    });
    expect(w.advance(next).kind).toBe('gap');
  });

  it('on Redis 6, keeps counting while the window starts inside the stream', () => {
    const w = new EventsThroughput();
    w.advance(replies(w, { info: info('100-0', '200-0', 5) }));
    const next = w.advance(
      replies(w, {
        entries: [entry('300-0', 'added'), entry('301-0', 'completed')],
        info: info('150-0', '301-0', 7),
        time: time(1_060_000),
      }),
    );
    expect(next).toMatchObject({ kind: 'rates', throughput: { in: 1, out: 1, windowMs: 60_000 } });
  });

  it('on Redis 6, counts a first minute whole only when the stream holds an entry before it', () => {
    const start = 60_000;
    // A first read from `60000-0` at Redis time 1,000,000: past the minute's end.
    const firstRead = (first: string) => {
      const w = new EventsThroughput();
      const entries = [entry('60005-0', 'added')];
      w.advance({
        ...replies(w, { entries, info: info(first, '60005-0', 2) }),
        start: `${start}-0`,
      });
      return w.periods.periods;
    };
    expect(firstRead('59000-0')).toEqual([
      { startMs: 60_000, endMs: 120_000, in: 1, completed: 0, failed: 0, source: 'events' },
    ]);
    // Entries of the minute before the first one held may have been trimmed.
    expect(firstRead('60001-0')).toEqual([]);
  });

  it('treats a stream recreated behind the last entry counted as a gap', () => {
    const w = new EventsThroughput();
    w.advance(replies(w, { info: info('100-0', '900-0', 5, 50) }));
    expect(w.advance(replies(w, { info: info('10-0', '20-0', 1, 1) })).kind).toBe('gap');
  });

  it.each([
    ['a TIME that is not two numbers', { time: ['x', '1'] }],
    ['an XINFO that is not a list', { info: 'OK' }],
    ['an XRANGE entry without an id', { entries: [['not-an-id', []]] }],
    ['a refused read', { entries: new Error('NOPERM') }],
  ])('reports nothing on %s, and keeps its position', (_, bad) => {
    const w = new EventsThroughput();
    w.advance(replies(w, { info: info('1-0', '5-0', 5, 5) }));
    expect(w.advance(replies(w, { ...bad, info: info('1-0', '5-0', 5, 5) })).kind).toBe(
      'unreadable',
    );
    expect(w.rangeStart(NOW)).toBe('5-1');
  });

  it('reports nothing for entries read from elsewhere than after its last entry', () => {
    const w = new EventsThroughput();
    w.advance(replies(w, { info: info('1-0', '5-0', 5, 5) }));
    const elsewhere = { start: '1-0', entries: [entry('6-0', 'added')], time: time(NOW + 1) };
    expect(w.advance(replies(w, { ...elsewhere, info: info('1-0', '6-0', 6, 6) })).kind).toBe(
      'unreadable',
    );
    expect(w.rangeStart(NOW)).toBe('5-1');
  });

  it('refuses an XRANGE reply longer than the COUNT sent, and an XINFO reply of any length', () => {
    expect(
      parseStreamEvents(
        Array.from({ length: 3 }, () => entry('1-0', 'added')),
        2,
      ),
    ).toBeUndefined();
    expect(parseStreamInfo(Array.from({ length: 1000 }, () => 'length'))).toBeUndefined();
  });
});
