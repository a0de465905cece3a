/**
 * Remote control end to end on the agent's side: real agents subscribed on a real Redis,
 * commands PUBLISHed as the collector does, real executors moving real jobs, and the result
 * each decision leaves in Redis and on the results channel.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { QuasarAgent } from '../../src';
import type { QuasarLogger, RemoteControlOptions } from '../../src';
import { signCommand } from '../../src/commands/signature';
import { QuasarKeys } from '../../src/schema';
import type { CommandResult, QuasarCommand } from '../../src/schema/command';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { hasRedisServer, startRedisServer } from '../../../testing/redis-server';

const TOKEN = 'remote-control-test-token';
const SERVICE = 'shop';
const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** A command as the collector issues it, addressed to `targetNodeId`. */
function command(targetNodeId: string, overrides: Partial<QuasarCommand> = {}): QuasarCommand {
  const now = Date.now();
  return {
    id: randomUUID(),
    type: 'RETRY_JOB',
    targetNodeId,
    payload: { queue: 'emails', jobKey: 'job-2', driver: 'redis' },
    timestamp: now,
    expiresAt: now + 60_000,
    issuer: 'quasar-collector',
    ...overrides,
  };
}

const signed = (c: QuasarCommand) => signCommand(c, TOKEN);

describeWithRedis('remote control (real Redis, real executors)', () => {
  let url: string;
  let redis: Redis;
  let listener: Redis;
  /** Every result PUBLISHed on the results channel, in order. */
  let published: CommandResult[];
  const agents: QuasarAgent[] = [];

  async function startAgent(
    name: string,
    remote: Partial<RemoteControlOptions> = {},
    transportUrl = url,
  ): Promise<QuasarAgent> {
    const agent = new QuasarAgent({
      service: SERVICE,
      name,
      interval: 60_000,
      logger: silent,
      otel: { enabled: false },
      transport: { url: transportUrl },
    });
    agents.push(agent);
    agent.monitorQueue('emails', 'redis');
    await agent.enableRemoteControl({
      queues: { emails: ['retry', 'delete'] },
      token: TOKEN,
      ...remote,
    });
    await agent.start();
    return agent;
  }

  /** PUBLISHes on the node's channel and returns how many subscribers received it. */
  const send = (agent: QuasarAgent, c: QuasarCommand) =>
    redis.publish(QuasarKeys.commandChannel(SERVICE, agent.getNodeId()), JSON.stringify(c));

  async function resultOf(id: string, on = redis): Promise<CommandResult> {
    const raw = await eventually(
      async () => (await on.get(QuasarKeys.commandResult(id))) ?? undefined,
      5000,
      `the result of ${id}`,
    );
    return JSON.parse(raw) as CommandResult;
  }

  /**
   * Sends `c` to the agent, then a sentinel command it rejects: commands run in order, so once
   * the sentinel's result is there, `c` has been handled even if it left no result.
   */
  async function handled(agent: QuasarAgent, c: QuasarCommand): Promise<void> {
    await send(agent, c);
    const sentinel = signed(command(agent.getNodeId(), { type: 'SENTINEL' }));
    await send(agent, sentinel);
    await resultOf(sentinel.id);
  }

  const lists = async () => ({
    waiting: await redis.lrange('emails', 0, -1),
    failed: await redis.lrange('emails:failed', 0, -1),
  });

  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
    published = [];
    listener = new Redis(url);
    listener.on('message', (_channel: string, message: string) =>
      published.push(JSON.parse(message) as CommandResult),
    );
    await listener.subscribe(QuasarKeys.commandResultsChannel);
    // Failures are pushed on the left: job-3 is the newest.
    await redis.lpush('emails:failed', 'job-1', 'job-2', 'job-3');
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await listener.quit();
    await redis.quit();
  });

  it('retries exactly the job a signed RETRY_JOB names, and publishes the result', async () => {
    const agent = await startAgent('web-1');
    const retry = signed(command(agent.getNodeId()));
    expect(await send(agent, retry)).toBe(1);

    const result = await resultOf(retry.id);
    expect(result).toEqual({
      commandId: retry.id,
      status: 'succeeded',
      affected: 1,
      nodeId: agent.getNodeId(),
      finishedAt: expect.any(Number),
    });
    expect(await lists()).toEqual({ waiting: ['job-2'], failed: ['job-3', 'job-1'] });
    expect(await redis.ttl(QuasarKeys.commandResult(retry.id))).toBeGreaterThan(3500);
    expect(await eventually(() => published.find((r) => r.commandId === retry.id))).toEqual(result);
  });

  it('tells dashboards which verbs each queue accepts, in the heartbeat and the queue hash', async () => {
    const agent = await startAgent('web-1', { queues: { emails: ['delete'] } });
    const beat = agent.getLastHeartbeat();
    expect(beat?.queues?.find((q) => q.name === 'emails')?.actions).toEqual(['delete']);
    const stored = await redis.hget(QuasarKeys.queues(SERVICE), 'emails');
    expect(JSON.parse(stored ?? '{}')).toMatchObject({ name: 'emails', actions: ['delete'] });
  });

  it('deletes exactly the job a signed DELETE_JOB names', async () => {
    const agent = await startAgent('web-1');
    const remove = signed(command(agent.getNodeId(), { type: 'DELETE_JOB' }));
    await send(agent, remove);

    expect(await resultOf(remove.id)).toMatchObject({ status: 'succeeded', affected: 1 });
    expect(await lists()).toEqual({ waiting: [], failed: ['job-3', 'job-1'] });
  });

  it("retries the newest failed jobs for jobKey '*', at most maxJobsPerCommand", async () => {
    const agent = await startAgent('web-1', { maxJobsPerCommand: 2 });
    const all = signed(
      command(agent.getNodeId(), { payload: { queue: 'emails', jobKey: '*', driver: 'redis' } }),
    );
    await send(agent, all);

    expect(await resultOf(all.id)).toMatchObject({ status: 'succeeded', affected: 2 });
    expect((await lists()).failed).toEqual(['job-1']);
    expect((await lists()).waiting.sort()).toEqual(['job-2', 'job-3']);
  });

  it('accepts commands signed with the new token or the previous one during a rotation', async () => {
    await redis.lpush('emails:failed', 'job-4');
    const agent = await startAgent('web-1', { token: 'NEW', previousTokens: ['OLD'] });
    const inFlight = signCommand(command(agent.getNodeId()), 'OLD');
    const switched = signCommand(
      command(agent.getNodeId(), {
        payload: { queue: 'emails', jobKey: 'job-4', driver: 'redis' },
      }),
      'NEW',
    );
    await send(agent, inFlight);
    await send(agent, switched);

    expect(await resultOf(inFlight.id)).toMatchObject({ status: 'succeeded', affected: 1 });
    expect(await resultOf(switched.id)).toMatchObject({ status: 'succeeded', affected: 1 });
    expect((await lists()).waiting.sort()).toEqual(['job-2', 'job-4']);
  });

  describe('rejections execute nothing and say why', () => {
    const node = () => agents[0]!.getNodeId();
    const now = Date.now;
    it.each<[string, () => QuasarCommand, string]>([
      ['an unsigned command', () => command(node()), 'unsigned command'],
      [
        'a badly signed command',
        () => signCommand(command(node()), 'not-the-token'),
        'bad signature',
      ],
      ['an expired command', () => signed(command(node(), { expiresAt: now() - 1 })), 'expired'],
      [
        'a command issued two minutes ago',
        () => signed(command(node(), { timestamp: now() - 120_000 })),
        'timestamp outside ±60 s of the agent clock',
      ],
      [
        'a verb not enabled on the queue',
        () => signed(command(node(), { type: 'DELETE_JOB' })),
        'delete is not enabled on queue emails',
      ],
      [
        'a queue enabled but not monitored',
        () =>
          signed(command(node(), { payload: { queue: 'reports', jobKey: '1', driver: 'redis' } })),
        'queue reports is not monitored by this agent',
      ],
      [
        'an unknown command type',
        () => signed(command(node(), { type: 'FLUSH_QUEUE' })),
        'unknown command type FLUSH_QUEUE',
      ],
      ['a command for another node', () => signed(command('web-2-1234')), 'not for this node'],
    ])('rejects %s', async (_what, make, reason) => {
      await startAgent('web-1', { queues: { emails: ['retry'], reports: ['retry'] } });
      const before = await lists();
      const c = make();
      await send(agents[0]!, c);

      expect(await resultOf(c.id)).toMatchObject({ status: 'rejected', reason, affected: 0 });
      expect(await lists()).toEqual(before);
      expect(await redis.exists('emails')).toBe(0);
    });

    it('rejects a replayed command without touching the job or the first result', async () => {
      const agent = await startAgent('web-1');
      const retry = signed(command(agent.getNodeId()));
      await send(agent, retry);
      const first = await resultOf(retry.id);
      await redis.lpush('emails:failed', 'job-2');

      await handled(agent, retry);

      expect(await resultOf(retry.id)).toEqual(first);
      expect(await lists()).toEqual({ waiting: ['job-2'], failed: ['job-2', 'job-3', 'job-1'] });
      expect(published.filter((r) => r.commandId === retry.id)).toEqual([first]);
    });
  });

  it('runs a service-wide command on exactly one of three nodes', async () => {
    const nodes = await Promise.all(['web-1', 'web-2', 'web-3'].map((n) => startAgent(n)));
    const wide = signed(command('*'));
    expect(await redis.publish(QuasarKeys.broadcastChannel(SERVICE), JSON.stringify(wide))).toBe(3);

    const result = await resultOf(wide.id);
    for (const node of nodes) await handled(node, signed(command(node.getNodeId(), { type: 'X' })));
    expect(result.status).toBe('succeeded');
    expect(await redis.get(QuasarKeys.commandClaim(wide.id))).toBe(result.nodeId);
    expect(published.filter((r) => r.commandId === wide.id)).toEqual([result]);
    expect(await lists()).toEqual({ waiting: ['job-2'], failed: ['job-3', 'job-1'] });
  });

  it("never receives a sibling's node-channel command", async () => {
    const [a, b] = [await startAgent('web-1'), await startAgent('web-2')];
    const forB = signed(command(b.getNodeId()));
    expect(await send(b, forB)).toBe(1);

    expect(await resultOf(forB.id)).toMatchObject({ nodeId: b.getNodeId(), status: 'succeeded' });
    await handled(a, signed(command(a.getNodeId(), { type: 'X' })));
    expect(
      published.filter((r) => r.nodeId === a.getNodeId()).map((r) => r.commandId),
    ).not.toContain(forB.id);
  });

  describe('the original Zenith command', () => {
    const fixture = JSON.parse(
      readFileSync(
        join(__dirname, '..', 'fixtures', 'originals', 'command-zenith-retry.json'),
        'utf8',
      ),
    ) as QuasarCommand;
    /** The fixture as sent now to `agent`: its node id and timestamp are from the capture. */
    const zenith = (agent: QuasarAgent) => ({
      ...fixture,
      id: randomUUID(),
      targetNodeId: agent.getNodeId(),
      timestamp: Date.now(),
    });

    beforeEach(async () => {
      await redis.lpush('queue:orders:failed', 'job-123');
    });

    it('is rejected as unsigned when a token is set', async () => {
      const agent = await startAgent('web-1', { queues: { 'queue:orders': ['retry'] } });
      agent.monitorQueue('queue:orders', 'redis');
      const c = zenith(agent);
      await send(agent, c);

      expect(await resultOf(c.id)).toMatchObject({
        status: 'rejected',
        reason: 'unsigned command',
      });
      expect(await redis.lrange('queue:orders:failed', 0, -1)).toEqual(['job-123']);
    });

    it('runs when unsigned commands were allowed and no token is set', async () => {
      const agent = await startAgent('web-1', {
        queues: { 'queue:orders': ['retry'] },
        token: undefined,
        allowUnsigned: true,
      });
      agent.monitorQueue('queue:orders', 'redis');
      const c = zenith(agent);
      await send(agent, c);

      expect(await resultOf(c.id)).toMatchObject({ status: 'succeeded', affected: 1 });
      expect(await redis.lrange('queue:orders', 0, -1)).toEqual(['job-123']);
    });
  });

  it("subscribes in the transport URL's database, and again after a reconnect", async () => {
    const agent = await startAgent('web-1');
    const db = Number(new URL(url).pathname.slice(1));
    expect(db).toBeGreaterThan(0);
    const clients = String(await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
    // Other test files may run agents at the same time, each in a database of its own.
    const mine = clients.split('\n').filter((l) => l.includes(` db=${db} `));
    const line = mine.find((l) => l.includes('name=quasar:commands'));
    expect(line).toBeDefined();

    const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
    await redis.call('CLIENT', 'KILL', 'ID', id ?? '');
    const retry = signed(command(agent.getNodeId()));
    await eventually(
      async () => ((await send(agent, retry)) === 1 ? true : undefined),
      15_000,
      'the listener to subscribe again',
    );
    expect(await resultOf(retry.id)).toMatchObject({ status: 'succeeded', affected: 1 });
  });

  it('stops listening on stop()', async () => {
    const agent = await startAgent('web-1');
    await agent.stop();

    expect(await send(agent, signed(command(agent.getNodeId())))).toBe(0);
    expect(await lists()).toEqual({ waiting: [], failed: ['job-3', 'job-2', 'job-1'] });
  });

  it('warns once that unsigned commands are accepted, without naming any secret', async () => {
    const lines: string[] = [];
    const logger: QuasarLogger = { ...silent, warn: (m) => lines.push(m) };
    const agent = new QuasarAgent({ service: SERVICE, logger, otel: { enabled: false } });
    agents.push(agent);
    const unsigned = { queues: { emails: ['retry' as const] }, allowUnsigned: true };
    await agent.enableRemoteControl(unsigned);
    await agent.enableRemoteControl(unsigned);

    expect(lines).toEqual([
      'remote control accepts UNSIGNED commands: anyone who can PUBLISH on the transport Redis can retry or delete jobs',
    ]);
  });

  it('rejects invalid options naming the option, and listens once enabled after start', async () => {
    const agent = new QuasarAgent({
      service: SERVICE,
      logger: silent,
      otel: { enabled: false },
      transport: { url },
    });
    agents.push(agent);
    agent.monitorQueue('emails', 'redis');
    await expect(
      agent.enableRemoteControl({ queues: { emails: ['requeue' as 'retry'] } }),
    ).rejects.toMatchObject({ name: 'QuasarConfigError', option: 'queues.emails' });
    await agent.start();
    expect(await send(agent, signed(command(agent.getNodeId())))).toBe(0);

    await agent.enableRemoteControl({ queues: { emails: ['delete'] }, token: TOKEN });
    const retry = signed(command(agent.getNodeId()));
    expect(await send(agent, retry)).toBe(1);
    expect(await resultOf(retry.id)).toMatchObject({
      reason: 'retry is not enabled on queue emails',
    });

    await agent.enableRemoteControl({ queues: { emails: ['retry'] }, token: TOKEN });
    const again = signed(command(agent.getNodeId()));
    await send(agent, again);
    expect(await resultOf(again.id)).toMatchObject({ status: 'succeeded' });
  });

  it('retries a job a real BullMQ worker failed', async () => {
    const { hostname, port, pathname } = new URL(url);
    const connection = { host: hostname, port: Number(port), db: Number(pathname.slice(1)) };
    const queue = new Queue('payments', { connection, skipMetasUpdate: true });
    const worker = new Worker('payments', () => Promise.reject(new Error('card declined')), {
      connection,
    });
    try {
      const job = await queue.add('charge', {});
      await eventually(async () => ((await job.getState()) === 'failed' ? true : undefined));
      await worker.close();
      const agent = await startAgent('web-1', { queues: { payments: ['retry'] } });
      agent.monitorQueue('payments', 'bullmq');
      const retry = signed(
        command(agent.getNodeId(), {
          payload: { queue: 'payments', jobKey: job.id!, jobId: job.id!, driver: 'bullmq' },
        }),
      );
      await send(agent, retry);

      expect(await resultOf(retry.id)).toMatchObject({ status: 'succeeded', affected: 1 });
      expect(await (await Job.fromId(queue, job.id!))?.getState()).toBe('waiting');
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});

(hasRedisServer() ? describe : describe.skip)(
  'remote control on a password-protected Redis',
  () => {
    it('subscribes with the URL credentials and database', async () => {
      const server = await startRedisServer({ password: 'p@ss word' });
      const url = server.urlFor(3);
      const admin = new Redis(url);
      const agent = new QuasarAgent({
        service: SERVICE,
        name: 'web-1',
        logger: silent,
        otel: { enabled: false },
        transport: { url },
      });
      try {
        agent.monitorQueue('emails', 'redis');
        await agent.enableRemoteControl({ queues: { emails: ['retry'] }, token: TOKEN });
        await agent.start();
        await admin.lpush('emails:failed', 'job-1');
        const retry = signed(
          command(agent.getNodeId(), {
            payload: { queue: 'emails', jobKey: 'job-1', driver: 'redis' },
          }),
        );
        expect(
          await admin.publish(
            QuasarKeys.commandChannel(SERVICE, agent.getNodeId()),
            JSON.stringify(retry),
          ),
        ).toBe(1);

        const raw = await eventually(
          async () => (await admin.get(QuasarKeys.commandResult(retry.id))) ?? undefined,
        );
        expect(JSON.parse(raw)).toMatchObject({ status: 'succeeded', affected: 1 });
        expect(await admin.lrange('emails', 0, -1)).toEqual(['job-1']);
      } finally {
        await agent.stop();
        await admin.quit();
        await server.stop();
      }
    });
  },
);
