/**
 * The bull probe's failure groups against real (legacy) Bull: a processor fails jobs with
 * three kinds of application errors, and the groups and their counts are exact.
 */
import Bull from 'bull';
import Redis from 'ioredis';
import { bullProbe } from '../../../../src/queues/drivers/bull/probe';
import {
  claimDatabase,
  describeWithRedis,
  eventually,
  uniqueName,
} from '../../../../../testing/redis';
import { FRAMES, MESSAGES, failAs } from '../../failures/app-errors';
import type { Kind } from '../../failures/app-errors';

const prefix = '{bull}';
const MIX: Record<Kind, number> = { charge: 4, lookup: 6, sync: 2 };

describeWithRedis('bull probe failure groups (real Bull)', () => {
  let url: string;
  let redis: Redis;
  let queue: Bull.Queue;

  beforeAll(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
    queue = new Bull(uniqueName('orders'), url, { prefix });
    void queue.process('*', 10, (job) => failAs(job.name, (job.data as { n: number }).n));
  });

  afterAll(async () => {
    await queue?.close();
    await redis?.quit();
  });

  it('groups three kinds of errors by message and application frame, with exact counts', async () => {
    const kinds = Object.keys(MIX) as Kind[];
    await queue.addBulk(
      kinds.flatMap((kind) =>
        Array.from({ length: MIX[kind] }, (_, n) => ({ name: kind, data: { n } })),
      ),
    );
    await eventually(
      async () => ((await queue.getFailedCount()) === 12 ? true : undefined),
      30_000,
      '12 failed jobs',
    );

    const reading = await bullProbe
      .create(queue.name, { prefix })
      .read({ redis, nowMs: Date.now() });

    expect(reading.failureGroups).toMatchObject({ others: 0, scanned: 12 });
    expect(reading.failureGroups?.groups.map((g) => [g.message, g.count])).toEqual([
      [MESSAGES.lookup, 6],
      [MESSAGES.charge, 4],
      [MESSAGES.sync, 2],
    ]);
    for (const group of reading.failureGroups?.groups ?? []) {
      const kind = kinds.find((k) => MESSAGES[k] === group.message) as Kind;
      expect(group.frame).toMatch(new RegExp(`^${FRAMES[kind]} \\(.*app-errors\\.ts\\)$`));
      expect(group.example.name).toBe(kind);
    }
  });
});
