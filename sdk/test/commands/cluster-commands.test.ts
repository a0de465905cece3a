/**
 * Remote control on a real Redis Cluster: a command PUBLISHed through any node reaches the
 * agent's SUBSCRIBE connection, BullMQ under a hash-tagged prefix is probed and retried, and a
 * queue whose keys sit in different slots is refused with the hash-tag fix, never `CROSSSLOT`.
 */
import { randomUUID } from 'node:crypto';
import { Job, Queue, Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { QuasarAgent } from '../../src';
import type { QuasarLogger } from '../../src';
import { signCommand } from '../../src/commands/signature';
import { keySlot } from '../../src/redis/key-slot';
import { INSPECTED_JOB_TTL_SECONDS, QuasarKeys } from '../../src/schema';
import { writeResult } from '../../src/commands/listener/result-writer';
import type { CommandResult, QuasarCommand } from '../../src/schema/command';
import {
  describeWithRedisCluster,
  eventually,
  testClusterUrl,
  uniqueName,
} from '../../../testing/redis';

const TOKEN = 'cluster-commands-token';
const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };

function seeds(): { host: string; port: number }[] {
  return (testClusterUrl() as string)
    .slice('redis+cluster://'.length)
    .split(',')
    .map((seed) => {
      const [host, port] = seed.split(':');
      return { host: host as string, port: Number(port) };
    });
}

function command(node: string, payload: QuasarCommand['payload']): QuasarCommand {
  const now = Date.now();
  return signCommand(
    {
      id: randomUUID(),
      type: 'RETRY_JOB',
      targetNodeId: node,
      payload,
      timestamp: now,
      expiresAt: now + 60_000,
      issuer: 'quasar-collector',
    },
    TOKEN,
  );
}

describeWithRedisCluster('remote control on a Redis Cluster', () => {
  let cluster: Cluster;
  const agents: QuasarAgent[] = [];

  beforeAll(async () => {
    cluster = new Cluster(seeds(), { lazyConnect: true });
    await cluster.connect();
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
  });
  afterAll(async () => {
    await cluster.quit();
  });

  function startAgent(service: string): QuasarAgent {
    const agent = new QuasarAgent({
      service,
      interval: 1000,
      logger: silent,
      otel: { enabled: false },
      transport: { url: testClusterUrl() },
    });
    agents.push(agent);
    return agent;
  }

  async function resultOf(id: string): Promise<CommandResult> {
    const raw = await eventually(
      async () => (await cluster.get(QuasarKeys.commandResult(id))) ?? undefined,
      10_000,
      `the result of ${id}`,
    );
    return JSON.parse(raw) as CommandResult;
  }

  /** PUBLISHes `c` on every primary in turn, as a collector connected to any node would. */
  async function publishEverywhere(service: string, agent: QuasarAgent, make: () => QuasarCommand) {
    const results: CommandResult[] = [];
    for (const node of cluster.nodes('master')) {
      const c = make();
      await node.publish(QuasarKeys.commandChannel(service, agent.getNodeId()), JSON.stringify(c));
      results.push(await resultOf(c.id));
    }
    return results;
  }

  it('hears a command published on any node, and refuses a list queue whose keys are in different slots', async () => {
    const service = uniqueName('cl-cmd');
    const queue = uniqueName('emails');
    expect(keySlot(queue)).not.toBe(keySlot(`${queue}:failed`));
    await cluster.lpush(`${queue}:failed`, 'job-1');
    const agent = startAgent(service);
    agent.monitorQueue(queue, 'redis');
    await agent.enableRemoteControl({ queues: { [queue]: ['retry'] }, token: TOKEN });
    await agent.start();

    const results = await publishEverywhere(service, agent, () =>
      command(agent.getNodeId(), { queue, jobKey: 'job-1', driver: 'redis' }),
    );
    expect(results).toHaveLength(3);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect(result.reason).toBe(
        `queue keys '${queue}:failed' and '${queue}' hash to different Redis Cluster slots, which one script cannot span; use a hash tag such as '{${queue}}' as the queue name, so that its keys share one slot`,
      );
      expect(result.reason).not.toMatch(/CROSSSLOT/);
    }
    expect(await cluster.lrange(`${queue}:failed`, 0, -1)).toEqual(['job-1']);
    await cluster.del(`${queue}:failed`);
  });

  it('retries a job of a hash-tagged list queue', async () => {
    const service = uniqueName('cl-tag');
    const queue = `{${uniqueName('emails')}}`;
    await cluster.lpush(`${queue}:failed`, 'job-1', 'job-2');
    const agent = startAgent(service);
    agent.monitorQueue(queue, 'redis');
    await agent.enableRemoteControl({ queues: { [queue]: ['retry'] }, token: TOKEN });
    await agent.start();

    const c = command(agent.getNodeId(), { queue, jobKey: 'job-1', driver: 'redis' });
    await cluster.publish(QuasarKeys.commandChannel(service, agent.getNodeId()), JSON.stringify(c));
    expect(await resultOf(c.id)).toMatchObject({ status: 'succeeded', affected: 1 });
    expect(await cluster.lrange(queue, 0, -1)).toEqual(['job-1']);
    expect(await cluster.lrange(`${queue}:failed`, 0, -1)).toEqual(['job-2']);
    await cluster.del(queue);
    await cluster.del(`${queue}:failed`);
  });

  it('probes and retries a BullMQ queue under the prefix {bull}, and refuses an untagged prefix', async () => {
    const service = uniqueName('cl-bull');
    const name = uniqueName('payments');
    const connection = new Cluster(seeds(), { redisOptions: { maxRetriesPerRequest: null } });
    const queue = new Queue(name, { connection, prefix: '{bull}' });
    const worker = new Worker(name, () => Promise.reject(new Error('card declined')), {
      connection,
      prefix: '{bull}',
    });
    try {
      const job = await queue.add('charge', {});
      await eventually(
        async () => ((await job.getState()) === 'failed' ? true : undefined),
        10_000,
      );
      await worker.close();

      const agent = startAgent(service);
      agent.monitorQueue(name, 'bullmq', { prefix: '{bull}' });
      agent.monitorQueue('untagged', 'bullmq', { prefix: 'bull' });
      await agent.enableRemoteControl({
        queues: { [name]: ['retry'], untagged: ['retry'] },
        token: TOKEN,
      });
      await agent.start();
      const snapshot = await eventually(
        async () => {
          const raw = await cluster.hget(QuasarKeys.v2.queues(service), name);
          const parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
          return parsed && parsed.error === undefined ? parsed : undefined;
        },
        10_000,
        'the BullMQ snapshot',
      );
      expect(snapshot).toMatchObject({
        driver: 'bullmq',
        size: expect.objectContaining({ failed: 1, waiting: 0 }),
        failedSample: [expect.objectContaining({ id: job.id, reason: 'card declined' })],
      });

      const channel = QuasarKeys.commandChannel(service, agent.getNodeId());
      const retry = command(agent.getNodeId(), {
        queue: name,
        jobKey: job.id as string,
        jobId: job.id,
        driver: 'bullmq',
      });
      await cluster.publish(channel, JSON.stringify(retry));
      expect(await resultOf(retry.id)).toMatchObject({ status: 'succeeded', affected: 1 });
      expect(await (await Job.fromId(queue, job.id as string))?.getState()).toBe('waiting');

      const untagged = command(agent.getNodeId(), {
        queue: 'untagged',
        jobKey: '1',
        jobId: '1',
        driver: 'bullmq',
      });
      await cluster.publish(channel, JSON.stringify(untagged));
      const refused = await resultOf(untagged.id);
      expect(refused.status).toBe('rejected');
      expect(refused.reason).toContain(
        "queue keys 'bull:untagged:wait' and 'bull:untagged:failed' hash to different Redis Cluster slots",
      );
      expect(refused.reason).toContain("hash-tagged prefix such as '{bull}'");
    } finally {
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      connection.disconnect();
    }
  });

  it('stores an inspected job and its result, though their keys hash to different slots', async () => {
    let id = randomUUID();
    while (keySlot(QuasarKeys.commandJob(id)) === keySlot(QuasarKeys.commandResult(id))) {
      id = randomUUID();
    }
    const job = { queue: 'emails', id: 'j-1', timestamps: {}, redacted: 0, truncated: [] };
    const result = { commandId: id, status: 'succeeded' as const, affected: 1, nodeId: 'n-1' };
    await expect(writeResult(cluster, { ...result, finishedAt: Date.now(), job })).resolves.toBe(
      true,
    );
    expect(JSON.parse((await cluster.get(QuasarKeys.commandJob(id))) ?? '')).toEqual(job);
    expect(JSON.parse((await cluster.get(QuasarKeys.commandResult(id))) ?? '')).toMatchObject({
      ...result,
      hasJob: true,
    });
    const ttl = await cluster.ttl(QuasarKeys.commandJob(id));
    expect(ttl > 0 && ttl <= INSPECTED_JOB_TTL_SECONDS).toBe(true);
    expect(await cluster.ttl(QuasarKeys.commandResult(id))).toBeGreaterThan(
      INSPECTED_JOB_TTL_SECONDS,
    );
  });
});
