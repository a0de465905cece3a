/**
 * A busy closed minute of finished jobs, written into a filled BullMQ queue as `moveToFinished`
 * leaves them, so that the `bullmq` probe's sampled periods read a full sample: more jobs than
 * `SAMPLE_PER_SET` in both finished sets, and an hour-old job in each so that the minute counts
 * as untrimmed. A fresh probe reaches the minute within `SAMPLED_READS` reads.
 */
import type { Redis } from 'ioredis';
import { MAX_SAMPLE_PERIODS, SAMPLE_PER_SET } from '../src/queues/drivers/bullmq/finished-sample';
import type { ProbeReading } from '../src/queues/types';

const MINUTE = 60_000;
/** Reads of a fresh probe: the first only records the clock, then one minute per read. */
export const SAMPLED_READS = MAX_SAMPLE_PERIODS + 2;

/** Jobs per set in the minute: more than a sample takes. */
const PER_SET = { completed: 3 * SAMPLE_PER_SET, failed: 2 * SAMPLE_PER_SET } as const;

/**
 * Writes the minute three minutes before Redis's current one (among the last closed whatever
 * the queue's offset) into `{prefix}:{queue}:`; returns its start.
 */
export async function writeFinishedMinute(
  redis: Redis,
  prefix: string,
  queue: string,
): Promise<number> {
  const [seconds] = await redis.time();
  const start = Math.floor((Number(seconds) * 1000) / MINUTE) * MINUTE - 3 * MINUTE;
  const write = redis.pipeline();
  for (const set of ['completed', 'failed'] as const) {
    const n = PER_SET[set];
    const jobs = [
      { id: `bench-old-${set}`, finished: start - 60 * MINUTE },
      ...Array.from({ length: n }, (_, i) => ({
        id: `bench-${set}-${i}`,
        finished: start + Math.floor((i * MINUTE) / n),
      })),
    ];
    for (const { id, finished } of jobs) {
      write.hset(`${prefix}:${queue}:${id}`, {
        name: 'bench',
        data: '{}',
        opts: '{"attempts":1,"delay":0}',
        timestamp: finished - 250,
        delay: 0,
        processedOn: finished - 40,
        finishedOn: finished,
        atm: 1,
        ats: 1,
      });
      write.zadd(`${prefix}:${queue}:${set}`, finished, id);
    }
  }
  await write.exec();
  return start;
}

/** Whether `reading` holds the written minute, sampled at the bound in both sets. */
export function sampledMinuteRead(reading: ProbeReading | undefined, start: number): boolean {
  const period = reading?.periods?.find((p) => p.startMs === start && p.source === 'sample');
  return period?.run?.count === 2 * SAMPLE_PER_SET && period.run.sampled === true;
}
