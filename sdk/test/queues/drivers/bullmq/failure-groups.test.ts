/**
 * The bullmq probe's failure groups against real BullMQ: a worker fails jobs with three kinds
 * of application errors, and the groups, their counts, times and examples are exact; a read
 * bounds what it groups, and a job that fails again with another error moves to its group.
 */
import { Queue, Worker } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import Redis from 'ioredis';
import { bullmqProbe } from '../../../../src/queues/drivers/bullmq/probe';
import { MAX_SCANNED_FAILURES } from '../../../../src/queues/failures/failure-scan';
import type { QueueProbe } from '../../../../src/queues/types';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  eventually,
  uniqueName,
} from '../../../../../testing/redis';
import { auditRead } from '../../../support/read-only-audit';
import { FRAMES, MESSAGES, failAs } from '../../failures/app-errors';
import type { Kind } from '../../failures/app-errors';

const prefix = '{bull}';
/** Jobs failed per kind. */
const MIX: Record<Kind, number> = { charge: 7, lookup: 5, sync: 3 };

describeWithRedis('bullmq probe failure groups (real BullMQ)', () => {
  let url: string;
  let connection: ConnectionOptions;
  let redis: Redis;
  const queues: Queue[] = [];
  const workers: Worker[] = [];
  /** A kind that replaces a job's own on its next attempt, by job id. */
  const switched = new Map<string, Kind>();

  /** A queue whose worker fails every job as its name (or `switched`) says. */
  const failingQueue = (name: string) => {
    const queue = new Queue(name, { connection, prefix });
    const worker = new Worker(
      name,
      (job) => failAs(switched.get(job.id ?? '') ?? job.name, (job.data as { n: number }).n),
      { connection, prefix, concurrency: 20 },
    );
    queues.push(queue);
    workers.push(worker);
    return queue;
  };
  const failedCount = (queue: Queue, n: number) =>
    eventually(
      async () => ((await queue.getFailedCount()) === n ? true : undefined),
      30_000,
      `${n} failed jobs`,
    );
  const read = (probe: QueueProbe) => probe.read({ redis, nowMs: Date.now() });

  beforeAll(async () => {
    url = await claimDatabase();
    connection = bullmqConnection(url);
    redis = new Redis(url);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await Promise.all(queues.map((q) => q.close()));
    await redis?.quit();
  });

  it('groups three kinds of errors by message and application frame, with exact counts', async () => {
    const queue = failingQueue(uniqueName('orders'));
    const jobs = (Object.keys(MIX) as Kind[]).flatMap((kind) =>
      Array.from({ length: MIX[kind] }, (_, n) => ({ name: kind, data: { n } })),
    );
    await queue.addBulk(jobs);
    await failedCount(queue, 15);
    const failed = await queue.getFailed(0, -1);

    const reading = await read(bullmqProbe.create(queue.name, { prefix }));

    const groups = reading.failureGroups;
    expect(groups).toMatchObject({ others: 0, scanned: 15 });
    expect(groups?.groups.map((g) => [g.message, g.count])).toEqual([
      [MESSAGES.charge, 7],
      [MESSAGES.lookup, 5],
      [MESSAGES.sync, 3],
    ]);
    for (const group of groups?.groups ?? []) {
      const kind = (Object.keys(MESSAGES) as Kind[]).find((k) => MESSAGES[k] === group.message);
      const own = failed.filter((job) => job.name === kind);
      const times = own.map((job) => job.finishedOn ?? 0);
      // The test runs in the package's directory: the frame reads relative to it.
      expect(group.frame).toBe(`${FRAMES[kind as Kind]} (test/queues/failures/app-errors.ts)`);
      expect(group.firstSeen).toBe(Math.min(...times));
      expect(group.lastSeen).toBe(Math.max(...times));
      const example = own.find((job) => job.id === group.example.id);
      expect(example?.finishedOn).toBe(group.lastSeen);
      expect(group.example).toMatchObject({ name: kind, reason: example?.failedReason });
      expect(group.example).not.toHaveProperty('data');
    }
    expect(reading.failedSample).toHaveLength(15);
  });

  it('keeps counting right as jobs fail between reads, and moves a job that fails anew', async () => {
    const queue = failingQueue(uniqueName('invoices'));
    const probe = bullmqProbe.create(queue.name, { prefix });
    await queue.addBulk([1, 2, 3].map((n) => ({ name: 'charge', data: { n } })));
    await failedCount(queue, 3);
    expect((await read(probe)).failureGroups?.groups.map((g) => g.count)).toEqual([3]);

    await queue.addBulk([4, 5].map((n) => ({ name: 'lookup', data: { n } })));
    await failedCount(queue, 5);
    const retried = (await queue.getFailed(0, -1)).find((j) => j.name === 'charge');
    if (!retried?.id) throw new Error('no failed charge job');
    switched.set(retried.id, 'sync');
    await retried.retry();
    await eventually(async () =>
      (await retried.getState()) === 'failed' && (await queue.getFailedCount()) === 5
        ? true
        : undefined,
    );

    const groups = (await read(probe)).failureGroups;
    expect(groups?.scanned).toBe(5);
    // Two groups of two: the one failed last comes first.
    expect(groups?.groups.map((g) => [g.message, g.count])).toEqual([
      [MESSAGES.lookup, 2],
      [MESSAGES.charge, 2],
      [MESSAGES.sync, 1],
    ]);
    expect(groups?.groups.find((g) => g.message === MESSAGES.sync)?.example.id).toBe(retried.id);
  });

  it('reads only the jobs that failed since its last read', async () => {
    const queue = failingQueue(uniqueName('refunds'));
    await queue.addBulk([1, 2, 3, 4].map((n) => ({ name: 'lookup', data: { n } })));
    await failedCount(queue, 4);
    const jobKey = new RegExp(`^\\{bull\\}:${queue.name}:\\d+$`);
    const hashReads = (commands: string[][]) =>
      commands.filter(([command, key]) => command === 'hmget' && jobKey.test(key ?? ''));

    const { commands } = await auditRead(redis, url, async (reader) => {
      const probe = bullmqProbe.create(queue.name, { prefix });
      const first = await probe.read({ redis: reader, nowMs: Date.now() });
      const again = await probe.read({ redis: reader, nowMs: Date.now() });
      expect(again.failureGroups).toEqual(first.failureGroups);
      expect(again.failedSample).toEqual(first.failedSample);
    });

    // Four job hashes on the first read, none on the second.
    expect(hashReads(commands)).toHaveLength(4);
  });

  it(`groups only the newest ${MAX_SCANNED_FAILURES} failures of a larger failed set`, async () => {
    const queue = failingQueue(uniqueName('bulk'));
    const total = MAX_SCANNED_FAILURES + 20;
    await queue.addBulk(Array.from({ length: total }, (_, n) => ({ name: 'sync', data: { n } })));
    await failedCount(queue, total);

    const reading = await read(bullmqProbe.create(queue.name, { prefix }));

    expect(reading.size.failed).toBe(total);
    expect(reading.failureGroups).toMatchObject({ scanned: MAX_SCANNED_FAILURES, others: 0 });
    expect(reading.failureGroups?.groups).toHaveLength(1);
    expect(reading.failureGroups?.groups[0]?.count).toBe(MAX_SCANNED_FAILURES);
  });
});
