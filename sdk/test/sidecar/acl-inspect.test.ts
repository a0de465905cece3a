/**
 * `quasar-agent acl` for `inspect`: the monitor user it prints reads a job (hash, sizes, state
 * sets, logs) where `inspect` is enabled, and is refused where it is not.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { bullmqInspectExecutor } from '../../src/queues/drivers/bullmq/inspect';
import type { InspectedJob } from '../../src/schema/inspected-job';
import { runSidecar } from '../../src/sidecar/main';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { recordingIO } from './support';

describeWithRedis('quasar-agent acl and inspect on a real Redis', () => {
  const service = `billing${randomUUID().slice(0, 8)}`;
  const password = randomUUID();
  const prefix = `t${randomUUID().slice(0, 8)}-`;
  let url: string;
  let admin: Redis;
  let monitor: Redis;
  const users: string[] = [];
  const queues: Queue[] = [];

  async function failedJob(name: string): Promise<string> {
    const connection = { url };
    const queue = new Queue(name, { connection, skipMetasUpdate: true });
    queues.push(queue);
    const worker = new Worker(
      name,
      async (job) => {
        await job.log('one line');
        throw new Error('card declined');
      },
      { connection },
    );
    try {
      const job = await queue.add('charge', { password: 'p', n: 1 });
      await eventually(async () => ((await job.getState()) === 'failed' ? true : undefined));
      return job.id as string;
    } finally {
      await worker.close();
    }
  }

  const inspect = (queue: string, jobId: string) =>
    bullmqInspectExecutor.execute(
      { redis: monitor, options: {} },
      { queue, scope: 'job', jobId, maxJobs: 1 },
    );

  beforeAll(async () => {
    url = await claimDatabase();
    admin = new Redis(url);
    const rec = recordingIO();
    const argv = ['acl', '--service', service, '--user-prefix', prefix];
    argv.push('--queue', 'emails:bullmq', '--queue', 'reports:bullmq');
    argv.push('--remote-control', 'emails:inspect');
    await expect(runSidecar(argv, {}, rec.io)).resolves.toBe(0);
    for (const line of rec
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('ACL SETUSER '))) {
      const [, , name, ...rules] = line.split(' ');
      users.push(name as string);
      const withPassword = rules.map((r) => (r === '>CHANGE-ME' ? `>${password}` : r));
      await admin.call('ACL', 'SETUSER', name as string, ...withPassword);
    }
    const u = new URL(url);
    u.username = `${prefix}monitor-${service}`;
    u.password = password;
    monitor = new Redis(u.toString(), { maxRetriesPerRequest: 0 });
  });

  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
    monitor?.disconnect();
    if (users.length > 0) await admin.call('ACL', 'DELUSER', ...users);
    await admin.quit();
  });

  it('lets the monitor user inspect a job where inspect is enabled', async () => {
    const id = await failedJob('emails');
    const { job } = (await inspect('emails', id)) as { job: InspectedJob };
    expect(job).toMatchObject({
      id,
      state: 'failed',
      data: '{"password":"[REDACTED]","n":1}',
      logs: ['one line'],
    });
  });

  it('refuses the monitor user an inspect on a queue without it', async () => {
    const id = await failedJob('reports');
    await expect(inspect('reports', id)).rejects.toThrow(/NOPERM/);
  });
});
