/**
 * `quasar-agent acl` against a real Redis 7: its printed users are applied as they are (with a
 * password in place of the placeholder), and each is shown to allow what its component does and
 * to be refused, with NOPERM, what it must not do.
 */
import { randomUUID } from 'node:crypto';
import Bull from 'bull';
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { QuasarAgent } from '../../src/agent/quasar-agent';
import { bullmqDeleteExecutor } from '../../src/queues/drivers/bullmq/delete';
import { bullmqRetryExecutor } from '../../src/queues/drivers/bullmq/retry';
import { bullmqPauseExecutor } from '../../src/queues/drivers/bullmq/pause';
import { bullmqPromoteExecutor } from '../../src/queues/drivers/bullmq/promote';
import { streamPauseExecutor } from '../../src/queues/drivers/stream/pause';
import { bullPauseExecutor } from '../../src/queues/drivers/bull/pause';
import { bullPromoteExecutor } from '../../src/queues/drivers/bull/promote';
import { streamPromoteExecutor } from '../../src/queues/drivers/stream/promote';
import { streamRetryExecutor } from '../../src/queues/drivers/stream/retry';
import { streamDeleteExecutor } from '../../src/queues/drivers/stream/delete';
import { groupSample } from '../../src/queues/failures/groups';
import { streamFailedSample } from '../../src/queues/drivers/stream/failed-sample';
import type { QuasarLogger } from '../../src/options/types';
import { QuasarKeys } from '../../src/schema';
import { writeResult } from '../../src/commands/listener/result-writer';
import { runSidecar } from '../../src/sidecar/main';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { recordingIO } from './support';

const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };
const NOPERM = /NOPERM/;

describeWithRedis('quasar-agent acl on a real Redis', () => {
  const service = `billing${randomUUID().slice(0, 8)}`;
  const password = randomUUID();
  const prefix = `t${randomUUID().slice(0, 8)}-`;
  let url: string;
  let admin: Redis;
  let printed: string;
  const users: string[] = [];
  const clients: Redis[] = [];
  const queues: Queue[] = [];

  /** The URL of the test database, authenticated as `user`. */
  const urlOf = (user: string): string => {
    const u = new URL(url);
    u.username = user;
    u.password = password;
    return u.toString();
  };
  const connect = (user: string): Redis => {
    const client = new Redis(urlOf(user), { maxRetriesPerRequest: 0 });
    clients.push(client);
    return client;
  };
  const transport = () => connect(`${prefix}agent-${service}`);
  const monitor = () => connect(`${prefix}monitor-${service}`);
  const collector = () => connect(`${prefix}collector`);

  /** A BullMQ queue with one job that a real worker failed; its id. */
  async function failedJob(name: string): Promise<string> {
    const connection = { url };
    const queue = new Queue(name, { connection, skipMetasUpdate: true });
    queues.push(queue);
    const worker = new Worker(name, () => Promise.reject(new Error('card declined')), {
      connection,
    });
    try {
      const job = await queue.add('charge', {});
      await eventually(async () => ((await job.getState()) === 'failed' ? true : undefined));
      return job.id as string;
    } finally {
      await worker.close();
    }
  }

  const stateOf = async (name: string, id: string): Promise<string> => {
    const queue = new Queue(name, { connection: admin, skipMetasUpdate: true });
    try {
      const job = await Job.fromId(queue, id);
      return job ? await job.getState() : 'gone';
    } finally {
      await queue.close();
    }
  };

  beforeAll(async () => {
    url = await claimDatabase();
    admin = new Redis(url);
    const rec = recordingIO();
    const argv = ['acl', '--service', service, '--user-prefix', prefix];
    argv.push('--queue', 'emails:bullmq', '--queue', 'reports:bullmq');
    argv.push('--queue', 'refunds:bullmq', '--queue', 'mails:stream', '--queue', 'ledger:bull');
    argv.push(
      '--remote-control',
      'emails:retry+delete',
      '--remote-control',
      'ledger:pause+promote',
    );
    argv.push(
      '--remote-control',
      'refunds:pause+promote',
      '--remote-control',
      'mails:retry+delete+pause+promote',
    );
    await expect(runSidecar(argv, {}, rec.io)).resolves.toBe(0);
    printed = rec.stdout();
    for (const line of printed.split('\n').filter((l) => l.startsWith('ACL SETUSER '))) {
      const [, , name, ...rules] = line.split(' ');
      users.push(name as string);
      const withPassword = rules.map((r) => (r === '>CHANGE-ME' ? `>${password}` : r));
      await admin.call('ACL', 'SETUSER', name as string, ...withPassword);
    }
  });

  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
    for (const c of clients) c.disconnect();
    if (users.length > 0) await admin.call('ACL', 'DELUSER', ...users);
    await admin.quit();
  });

  it('prints three users, each with the password placeholder', () => {
    expect(users).toEqual([
      `${prefix}agent-${service}`,
      `${prefix}monitor-${service}`,
      `${prefix}collector`,
    ]);
    const lines = printed.split('\n').filter((l) => l.startsWith('ACL SETUSER '));
    expect(lines.every((l) => l.includes(' on >CHANGE-ME '))).toBe(true);
  });

  it('lets the transport user write its heartbeat, index, queue hash and slow log', async () => {
    const t = transport();
    const key = QuasarKeys.node(service, 'web-1');
    await expect(t.set(key, '{}', 'EX', 30)).resolves.toBe('OK');
    await expect(t.zadd(QuasarKeys.nodeIndex, Date.now(), key)).resolves.toBe(1);
    await expect(t.hset(QuasarKeys.queues(service), 'emails', '{}')).resolves.toBe(1);
    await expect(t.expire(QuasarKeys.queues(service), 30)).resolves.toBe(1);
    await expect(t.xadd(QuasarKeys.slowLog(service), '*', 'k', 'v')).resolves.toMatch(/-/);
    await expect(t.set(QuasarKeys.commandClaim('c1'), 'web-1', 'EX', 60, 'NX')).resolves.toBe('OK');
    await expect(t.set(QuasarKeys.commandResult('c1'), '{}', 'EX', 60)).resolves.toBe('OK');
    await expect(t.del(key)).resolves.toBe(1);
  });

  it('lets the transport user store an inspected job beside its result, as the agent does', async () => {
    const t = transport();
    const result = { commandId: 'c-inspect', status: 'succeeded' as const, affected: 1 };
    const job = { queue: 'emails', id: 'j-1', timestamps: {}, redacted: 0, truncated: [] };
    await expect(
      writeResult(t, { ...result, nodeId: 'web-1', finishedAt: Date.now(), job }),
    ).resolves.toBe(true);
    expect(JSON.parse((await admin.get(QuasarKeys.commandJob('c-inspect'))) ?? '')).toEqual(job);
    expect(
      JSON.parse((await admin.get(QuasarKeys.commandResult('c-inspect'))) ?? ''),
    ).toMatchObject({ ...result, hasJob: true });
    await expect(t.get(QuasarKeys.commandJob('c-inspect'))).rejects.toThrow(NOPERM);
    // The collector reads the job, and nothing more.
    const c = collector();
    const stored = JSON.stringify(job);
    await expect(c.strlen(QuasarKeys.commandJob('c-inspect'))).resolves.toBe(
      Buffer.byteLength(stored),
    );
    await expect(c.getrange(QuasarKeys.commandJob('c-inspect'), 0, -1)).resolves.toBe(stored);
    await expect(c.set(QuasarKeys.commandJob('c-inspect'), '{}')).rejects.toThrow(NOPERM);
    await expect(c.del(QuasarKeys.commandJob('c-inspect'))).rejects.toThrow(NOPERM);
  });

  it("refuses the transport user another service's keys and a SET over the node index", async () => {
    const t = transport();
    await expect(t.set(QuasarKeys.node('other', 'web-1'), '{}')).rejects.toThrow(NOPERM);
    await expect(t.hset(QuasarKeys.queues('other'), 'q', '{}')).rejects.toThrow(NOPERM);
    await expect(t.set(QuasarKeys.nodeIndex, 'x')).rejects.toThrow(NOPERM);
    await expect(t.get(QuasarKeys.commandResult('c1'))).rejects.toThrow(NOPERM);
    await expect(t.set('bull:emails:wait', 'x')).rejects.toThrow(NOPERM);
  });

  it('lets the transport user subscribe to its command channels and publish results only', async () => {
    const t = transport();
    const sub = transport();
    const channel = QuasarKeys.commandChannel(service, 'web-1');
    await expect(sub.subscribe(channel, QuasarKeys.broadcastChannel(service))).resolves.toBe(2);
    await expect(t.publish(QuasarKeys.commandResultsChannel, '{}')).resolves.toBe(0);
    await expect(t.publish(channel, '{}')).rejects.toThrow(NOPERM);
    await expect(t.publish(QuasarKeys.broadcastChannel(service), '{}')).rejects.toThrow(NOPERM);
    const other = transport();
    await expect(other.subscribe(QuasarKeys.commandChannel('other', 'web-1'))).rejects.toThrow(
      NOPERM,
    );
  });

  it('lets the collector read nodes and issue commands, never touching a BullMQ key', async () => {
    const c = collector();
    const key = QuasarKeys.node(service, 'web-2');
    await admin.set(key, '{"id":"web-2"}', 'EX', 30);
    await admin.set('bull:invoices:1', 'x');
    await expect(c.mget(key)).resolves.toEqual(['{"id":"web-2"}']);
    await expect(c.publish(QuasarKeys.commandChannel(service, 'web-2'), '{}')).resolves.toBe(0);
    await expect(c.set(QuasarKeys.commandIssued('c2'), '{}', 'EX', 60)).resolves.toBe('OK');
    await expect(c.xadd(QuasarKeys.audit, '*', 'who', 'ops')).resolves.toMatch(/-/);
    await expect(c.get('bull:invoices:1')).rejects.toThrow(NOPERM);
    await expect(c.hgetall('bull:invoices:1')).rejects.toThrow(NOPERM);
    await expect(c.set('bull:invoices:1', 'y')).rejects.toThrow(NOPERM);
    await expect(c.del('bull:invoices:1')).rejects.toThrow(NOPERM);
    await expect(c.eval("return redis.call('GET', KEYS[1])", 1, 'bull:invoices:1')).rejects.toThrow(
      NOPERM,
    );
    await expect(
      c.mget(QuasarKeys.commandResult('c2'), QuasarKeys.commandIssued('c2')),
    ).resolves.toEqual([null, '{}']);
    await expect(c.set(key, '{}')).rejects.toThrow(NOPERM);
    await expect(c.set(QuasarKeys.commandClaim('c2'), 'web-2')).rejects.toThrow(NOPERM);
  });

  it('lets the collector record, read and clear who paused a queue, and nothing else there', async () => {
    const c = collector();
    const key = QuasarKeys.queuePauses(service);
    const replies = await c.multi().hset(key, 'emails', '{}').expire(key, 60).exec();
    expect(replies?.map(([error]) => error)).toEqual([null, null]);
    await expect(c.hmget(key, 'emails', 'other')).resolves.toEqual(['{}', null]);
    await expect(c.hdel(key, 'emails')).resolves.toBe(1);
    await expect(c.del(key)).rejects.toThrow(NOPERM);
    await expect(c.hset('bull:emails:meta', 'paused', '1')).rejects.toThrow(NOPERM);
  });

  it('lets the collector take part among replicas: membership, leases, shared findings', async () => {
    const c = collector();
    // The membership script reads the server's clock, then scores this replica with it.
    const announce =
      "local t = redis.call('TIME') redis.call('ZADD', KEYS[1], t[1], ARGV[1]) " +
      "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t[1] - 10) return redis.call('ZRANGE', KEYS[1], 0, -1)";
    await expect(c.eval(announce, 1, QuasarKeys.collectors, 'r-1')).resolves.toEqual(['r-1']);
    await expect(c.zrem(QuasarKeys.collectors, 'r-1')).resolves.toBe(1);
    const lease = QuasarKeys.lease(service);
    await expect(c.set(lease, 'r-1#a', 'PX', 5000, 'NX')).resolves.toBe('OK');
    const renew =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";
    await expect(c.eval(renew, 1, lease, 'r-1#a', 5000)).resolves.toBe(1);
    const release =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    await expect(c.eval(release, 1, lease, 'r-1#a')).resolves.toBe(1);
    await expect(c.set(QuasarKeys.scanLease, 'r-1#a', 'PX', 5000, 'NX')).resolves.toBe('OK');
    const key = QuasarKeys.node(service, 'original-1');
    await expect(c.zadd(QuasarKeys.nodeIndex, 'NX', 1, key)).resolves.toBe(1);
    await expect(c.zadd(QuasarKeys.streamIndex, 1, service)).resolves.toBe(1);
    await expect(c.zremrangebyscore(QuasarKeys.streamIndex, '-inf', '(1')).resolves.toBe(0);
    await expect(c.zrange(QuasarKeys.streamIndex, 0, -1)).resolves.toEqual([service]);
    // Leases are no way into the application's keys.
    await expect(c.set('bull:invoices:lease', 'x', 'PX', 5000, 'NX')).rejects.toThrow(NOPERM);
  });

  it('lets the monitor user only read a queue without remote control', async () => {
    const m = monitor();
    await admin.rpush('bull:reports:wait', '1');
    await expect(m.llen('bull:reports:wait')).resolves.toBe(1);
    await expect(m.set('bull:reports:wait', 'x')).rejects.toThrow(NOPERM);
    await expect(m.del('bull:reports:wait')).rejects.toThrow(NOPERM);
    await expect(
      m.eval("return redis.call('LLEN', KEYS[1])", 1, 'bull:reports:wait'),
    ).rejects.toThrow(NOPERM);
    await expect(m.llen(QuasarKeys.nodeIndex)).rejects.toThrow(NOPERM);
  });

  it('lets the monitor user retry and delete failed jobs where remote control is on', async () => {
    const m = monitor();
    const retried = await failedJob('emails');
    const target = { queue: 'emails', scope: 'job' as const, jobId: retried, maxJobs: 1000 };
    await expect(bullmqRetryExecutor.execute({ redis: m, options: {} }, target)).resolves.toEqual({
      affected: 1,
    });
    expect(await stateOf('emails', retried)).toBe('waiting');

    const removed = await failedJob('emails');
    const remove = { ...target, jobId: removed };
    await expect(bullmqDeleteExecutor.execute({ redis: m, options: {} }, remove)).resolves.toEqual({
      affected: 1,
    });
    expect(await stateOf('emails', removed)).toBe('gone');
  });

  it('lets the monitor user pause, resume and promote where remote control allows it', async () => {
    const m = monitor();
    const queue = new Queue('refunds', { connection: { url }, skipMetasUpdate: true });
    queues.push(queue);
    const job = await queue.add('bill', {}, { delay: 3_600_000 });
    const on = { queue: 'refunds', scope: 'queue' as const, maxJobs: 1000 };
    const context = { redis: m, options: {} };
    await expect(
      bullmqPauseExecutor.execute(context, { ...on, type: 'PAUSE_QUEUE' }),
    ).resolves.toEqual({ affected: 1 });
    expect(await queue.isPaused()).toBe(true);
    await expect(
      bullmqPauseExecutor.execute(context, { ...on, type: 'RESUME_QUEUE' }),
    ).resolves.toEqual({ affected: 1 });
    await expect(
      bullmqPromoteExecutor.execute(context, { ...on, scope: 'job', jobId: job.id! }),
    ).resolves.toEqual({ affected: 1 });
    await expect(
      bullmqPromoteExecutor.execute(context, { ...on, scope: 'all-delayed' }),
    ).resolves.toEqual({ affected: 0 });
    expect(await (await Job.fromId(queue, job.id!))?.getState()).toBe('waiting');

    const mails = { ...on, queue: 'mails' };
    await admin.zadd('queue:mails:delayed', Date.now() + 3_600_000, '{"id":"m1"}');
    await expect(
      streamPauseExecutor.execute(context, { ...mails, type: 'PAUSE_QUEUE' }),
    ).resolves.toEqual({ affected: 1 });
    await expect(
      streamPromoteExecutor.execute(context, { ...mails, scope: 'all-delayed' }),
    ).resolves.toEqual({ affected: 1 });
    expect(await admin.lrange('queue:mails', 0, -1)).toEqual(['{"id":"m1"}']);
  });

  it('lets the monitor user retry and delete a Stream failure group, and preview it first', async () => {
    const m = monitor();
    const entry = (id: string, error: string) =>
      JSON.stringify({ id, type: 'class', data: '{}', createdAt: 1, attempts: 3, error });
    const failed = [entry('s2', 'User 2 not found'), entry('s3', 'Card 3 declined')];
    await admin.lpush('queue:mails:failed', entry('s1', 'User 1 not found'), ...failed);
    const raws = await admin.lrange('queue:mails:failed', 0, -1);
    const groups = groupSample(raws.map((raw) => streamFailedSample(raw)!)).groups;
    const user = groups.find((g) => g.count === 2)!.key;
    const card = groups.find((g) => g.count === 1)!.key;
    const context = { redis: m, options: {} };
    const on = { queue: 'mails', scope: 'all-failed' as const, maxJobs: 1000, batchPauseMs: 0 };
    await expect(
      streamRetryExecutor.execute(context, { ...on, fingerprint: user, dryRun: true }),
    ).resolves.toMatchObject({ affected: 0, preview: { matched: 2 } });
    await expect(
      streamRetryExecutor.execute(context, { ...on, fingerprint: user }),
    ).resolves.toMatchObject({ affected: 2 });
    await expect(
      streamDeleteExecutor.execute(context, { ...on, fingerprint: card }),
    ).resolves.toMatchObject({ affected: 1 });
    expect(await admin.llen('queue:mails:failed')).toBe(0);
    const lane = await admin.lrange('queue:mails', 0, -1);
    const retried = lane.map((raw) => (JSON.parse(raw) as { id: string }).id);
    expect(retried.filter((id) => id.startsWith('s'))).toEqual(['s2', 's1']);
  });

  it('lets the monitor user pause, resume and promote a legacy Bull queue where allowed', async () => {
    const m = monitor();
    const ledger = new Bull('ledger', url);
    try {
      const job = await ledger.add({}, { delay: 3_600_000 });
      const on = { queue: 'ledger', scope: 'queue' as const, maxJobs: 1000 };
      const context = { redis: m, options: {} };
      await expect(
        bullPauseExecutor.execute(context, { ...on, type: 'PAUSE_QUEUE' }),
      ).resolves.toEqual({ affected: 1 });
      expect(await ledger.isPaused()).toBe(true);
      await expect(
        bullPauseExecutor.execute(context, { ...on, type: 'RESUME_QUEUE' }),
      ).resolves.toEqual({ affected: 1 });
      await expect(
        bullPromoteExecutor.execute(context, { ...on, scope: 'job', jobId: String(job.id) }),
      ).resolves.toEqual({ affected: 1 });
      expect(await (await ledger.getJob(job.id))?.getState()).toBe('waiting');
    } finally {
      await ledger.close();
    }
  });

  it('refuses the monitor user a pause on a queue without remote control', async () => {
    const m = monitor();
    const target = { queue: 'reports', scope: 'queue' as const, maxJobs: 1000 };
    await expect(
      bullmqPauseExecutor.execute({ redis: m, options: {} }, { ...target, type: 'PAUSE_QUEUE' }),
    ).rejects.toThrow(NOPERM);
  });

  it('refuses the monitor user a retry on a queue without remote control', async () => {
    const m = monitor();
    const id = await failedJob('reports');
    const target = { queue: 'reports', scope: 'job' as const, jobId: id, maxJobs: 1000 };
    await expect(bullmqRetryExecutor.execute({ redis: m, options: {} }, target)).rejects.toThrow(
      NOPERM,
    );
    expect(await stateOf('reports', id)).toBe('failed');
  });

  it('runs a real agent that beats through the transport user and reads through the monitor user', async () => {
    const agent = new QuasarAgent({
      service,
      name: 'acl-host',
      logger: silent,
      otel: { enabled: false },
      transport: { url: urlOf(`${prefix}agent-${service}`) },
      monitor: { url: urlOf(`${prefix}monitor-${service}`) },
      // A beat's deadline is its interval: the first one (connected: true) opens both
      // connections, which a busy machine can make slower than 200 ms.
      interval: 1000,
    });
    agent.monitorQueue('emails', 'bullmq');
    try {
      const result = await agent.start();
      expect(result.connected).toBe(true);
      const key = QuasarKeys.node(service, agent.getNodeId());
      await eventually(async () => ((await admin.get(key)) ? true : undefined));
      const snapshot = await eventually(
        async () => {
          const raw = await admin.hget(QuasarKeys.queues(service), 'emails');
          return raw && !raw.includes('reading_failed') && !raw.includes('"error"')
            ? raw
            : undefined;
        },
        15_000,
        'a queue snapshot without error',
      );
      expect(JSON.parse(snapshot)).toMatchObject({ name: 'emails', driver: 'bullmq' });
      await agent.stop();
      expect(await admin.exists(key)).toBe(0);
    } finally {
      await agent.stop();
    }
  });
});
