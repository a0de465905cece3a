/**
 * The closed minutes counted from a BullMQ events stream, on a real Redis stream written with
 * explicit ids (so each entry's minute is chosen) and read with the real `XRANGE` and
 * `XINFO STREAM` replies; only `TIME` is given, as the clock the reads run at.
 */
import Redis from 'ioredis';
import {
  EventsThroughput,
  MAX_EVENTS_PER_READ,
} from '../../../../src/queues/drivers/bullmq/events-throughput';
import { MAX_EVENTS_PERIODS } from '../../../../src/queues/drivers/bullmq/events-periods';
import type { QueuePeriod } from '../../../../src/schema';
import { claimDatabase, describeWithRedis, uniqueName } from '../../../../../testing/redis';

const MINUTE = 60_000;
/** Epoch ms of second `s` of minute `m` (minutes counted from an arbitrary origin). */
const at = (m: number, s = 0) => (1_000 + m) * MINUTE + s * 1000;
const time = (ms: number) => [String(Math.floor(ms / 1000)), String((ms % 1000) * 1000)];
/** The period of minute `m`, as reported. */
const minute = (m: number, counts: { in: number; completed: number; failed: number }) => ({
  startMs: at(m),
  endMs: at(m + 1),
  ...counts,
  source: 'events',
});

describeWithRedis('EventsPeriods (events stream minutes)', () => {
  let redis: Redis;
  let stream: string;
  let seq = 0;

  beforeAll(async () => {
    redis = new Redis(await claimDatabase());
  });
  afterAll(async () => {
    await redis?.quit();
  });
  beforeEach(() => {
    stream = uniqueName('events');
  });

  /** Appends `n` entries of `event` at `ms`, with ids `ms-<seq>`, as one pipeline. */
  const add = async (ms: number, event: string, n = 1) => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < n; i++) {
      pipeline.xadd(stream, `${ms}-${seq++}`, 'event', event, 'jobId', String(i));
    }
    await pipeline.exec();
  };
  /** An entry the periods do not count, before minute 0: the stream exists when reads begin. */
  const seed = () => add(at(-1), 'waiting');
  /** One read of `w`, as the probe sends it, with Redis's `TIME` at `nowMs`. */
  const read = async (w: EventsThroughput, nowMs: number) => {
    const start = w.rangeStart(nowMs);
    const entries = await redis.xrange(stream, start, '+', 'COUNT', MAX_EVENTS_PER_READ);
    const info = await redis.xinfo('STREAM', stream).catch(() => null);
    return w.advance({ start, entries, info, time: time(nowMs), metrics: [null, null] });
  };

  it('counts the minute a first read starts in from its start, once read past its end', async () => {
    await add(at(0, 5), 'added', 3);
    await add(at(0, 6), 'completed', 2);
    const w = new EventsThroughput();
    expect((await read(w, at(0, 10))).kind).toBe('started');
    await add(at(0, 20), 'failed');
    // Retries, delays, stalls and moves are not counted.
    for (const event of ['active', 'delayed', 'waiting', 'stalled', 'retries-exhausted']) {
      await add(at(0, 30), event);
    }
    await read(w, at(0, 59));
    expect(w.periods.periods).toEqual([]);
    await add(at(1, 1), 'added');
    await read(w, at(1, 2));
    expect(w.periods.periods).toEqual([minute(0, { in: 3, completed: 2, failed: 1 })]);
  });

  it('leaves out a minute whose start its counting did not cover', async () => {
    // More entries since the minute began than one read takes: the first read is cut.
    await add(at(0, 1), 'added', MAX_EVENTS_PER_READ + 1);
    const w = new EventsThroughput();
    await read(w, at(0, 2));
    await add(at(0, 30), 'completed');
    await add(at(1, 10), 'added', 2);
    await read(w, at(2, 0));
    expect(w.periods.periods).toEqual([minute(1, { in: 2, completed: 0, failed: 0 })]);
  });

  it('leaves out the current minute when entries of it were trimmed before the first read', async () => {
    await add(at(0, 5), 'added', 5);
    await redis.xtrim(stream, 'MAXLEN', 2);
    const w = new EventsThroughput();
    await read(w, at(0, 10));
    await add(at(1, 10), 'completed');
    await read(w, at(2, 0));
    expect(w.periods.periods).toEqual([minute(1, { in: 0, completed: 1, failed: 0 })]);
  });

  it('leaves out the current minute when the stream does not exist yet', async () => {
    const w = new EventsThroughput();
    await read(w, at(0, 30));
    await add(at(0, 40), 'added');
    await add(at(1, 10), 'added');
    await read(w, at(2, 0));
    expect(w.periods.periods).toEqual([minute(1, { in: 1, completed: 0, failed: 0 })]);
  });

  it('closes no minute past the last entry of a read cut at the bound', async () => {
    await seed();
    const w = new EventsThroughput();
    await read(w, at(0, 0));
    await add(at(0, 10), 'added', MAX_EVENTS_PER_READ - 10);
    await add(at(0, 50), 'completed', 20);
    await add(at(1, 5), 'failed');
    const cut = await read(w, at(1, 10));
    expect(cut).toMatchObject({ kind: 'rates', partial: true });
    expect(w.periods.periods).toEqual([]);
    await read(w, at(1, 11));
    expect(w.periods.periods).toEqual([
      minute(0, { in: MAX_EVENTS_PER_READ - 10, completed: 20, failed: 0 }),
    ]);
  });

  it('counts an entry made after TIME in its own minute, still open', async () => {
    await seed();
    const w = new EventsThroughput();
    await read(w, at(0, 0));
    await add(at(0, 30), 'added');
    // Added between this read's TIME and its XRANGE: ids only grow, so minute 0 is whole.
    await add(at(1, 0), 'completed');
    await read(w, at(1) - 1);
    expect(w.periods.periods).toEqual([minute(0, { in: 1, completed: 0, failed: 0 })]);
    await read(w, at(2, 0));
    expect(w.periods.periods).toEqual([
      minute(0, { in: 1, completed: 0, failed: 0 }),
      minute(1, { in: 0, completed: 1, failed: 0 }),
    ]);
  });

  it('drops the minute entries were trimmed in, and goes on from the next one', async () => {
    await seed();
    const w = new EventsThroughput();
    await read(w, at(0, 0));
    await add(at(0, 10), 'added');
    await read(w, at(1, 1));
    await add(at(1, 10), 'added', 5);
    await read(w, at(1, 20));
    await add(at(1, 30), 'completed', 5);
    // Trimmed before the next read: of minute 1's entries, only the last three are left.
    await redis.xtrim(stream, 'MAXLEN', 3);
    expect((await read(w, at(1, 40))).kind).toBe('gap');
    await add(at(1, 50), 'failed');
    await add(at(2, 10), 'added', 2);
    await read(w, at(3, 0));
    expect(w.periods.periods).toEqual([
      minute(0, { in: 1, completed: 0, failed: 0 }),
      minute(2, { in: 2, completed: 0, failed: 0 }),
    ]);
  });

  it('drops the minute a stream was deleted and written anew in', async () => {
    await seed();
    const w = new EventsThroughput();
    await read(w, at(0, 0));
    await add(at(0, 10), 'added', 3);
    await read(w, at(0, 20));
    // Deleted (as `obliterate` does) and written again, with more entries than were counted.
    await add(at(0, 30), 'added');
    await redis.del(stream);
    await add(at(0, 40), 'added', 6);
    expect((await read(w, at(0, 50))).kind).toBe('gap');
    await add(at(1, 10), 'completed');
    await read(w, at(2, 0));
    expect(w.periods.periods).toEqual([minute(1, { in: 0, completed: 1, failed: 0 })]);
  });

  it('keeps the last five closed minutes with events, oldest first', async () => {
    await seed();
    const w = new EventsThroughput();
    await read(w, at(0, 0));
    for (let m = 0; m < 9; m++) {
      // Minute 5 is quiet: a minute with no event adds nothing and is left out.
      if (m !== 5) await add(at(m, 10), 'added', m + 1);
      await read(w, at(m, 30));
    }
    await read(w, at(9, 0));
    const periods = w.periods.periods;
    expect(periods).toHaveLength(MAX_EVENTS_PERIODS);
    expect(periods.map((p) => [p.startMs, p.in])).toEqual(
      [3, 4, 6, 7, 8].map((m) => [at(m), m + 1]),
    );
  });

  it('reports a minute alike from two probes that read at different times', async () => {
    await seed();
    const often = new EventsThroughput();
    const seldom = new EventsThroughput();
    const events = ['added', 'added', 'completed', 'failed', 'active', 'delayed'];
    await read(often, at(0, 0));
    let n = 0;
    for (let s = 1; s < 4 * 60; s += 1) {
      const ms = at(0, s);
      // A burst in minute 2 larger than one read, so `seldom` reads it in cut reads.
      await add(ms, events[n++ % events.length] as string, Math.floor(s / 60) === 2 ? 30 : 1);
      if (s % 7 === 0) await read(often, ms + 1);
      // `seldom` starts 82 s in, mid-minute 1: its first minute is that one, from its start.
      if (s >= 82 && s % 41 === 0) await read(seldom, ms + 1);
    }
    await read(often, at(4, 1));
    for (let i = 0; i < 3; i++) await read(seldom, at(4, 1));
    const byStart = (periods: QueuePeriod[]) => new Map(periods.map((p) => [p.startMs, p]));
    const a = byStart(often.periods.periods);
    const b = byStart(seldom.periods.periods);
    expect([...a.keys()]).toEqual([0, 1, 2, 3].map((m) => at(m)));
    expect([...b.keys()]).toEqual([1, 2, 3].map((m) => at(m)));
    for (const [start, period] of b) expect(period).toEqual(a.get(start));
    // Minute 2: 60 seconds of 30 entries, a third of them `added`.
    expect(a.get(at(2))).toMatchObject({ in: 600, completed: 300, failed: 300 });
  });
});
