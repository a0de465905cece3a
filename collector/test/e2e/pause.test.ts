/**
 * Pause and resume from the API to a real BullMQ queue and back into the Pulse API: a named
 * token with the `pause` scope issues `PAUSE_QUEUE` over real HTTP, a real agent pauses the
 * queue, the audit names the token, and `GET /api/pulse/queues` shows who paused it and when,
 * until `RESUME_QUEUE` clears it. A queue paused outside Quasar shows as paused with no one
 * named, and a hostile record is not shown.
 */
import { Queue } from 'bullmq';
import { QuasarAgent } from '@gravito/quasar';
import type { QuasarLogger } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import type { CommandOptions } from '../../src/commands/issue-command';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  eventually,
} from '../../../testing/redis';
import { bearer, httpPost, startPulse } from '../api/pulse-fixture';
import type { Pulse } from '../api/pulse-fixture';

const SIGNING_TOKEN = 'pause-signing-secret-41c2';
const OPS_SECRET = 'ops-pause-secret-9e07aa';
const SERVICE = 'shop';
const ops = { authorization: `Bearer ${OPS_SECRET}` };
const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };

interface QueueJson {
  name: string;
  paused?: boolean;
  pausedBy?: unknown;
  pausedAt?: unknown;
}

describeWithRedis('who paused a queue, in the Pulse API', () => {
  let pulse: Pulse;
  let agent: QuasarAgent;
  const queues: Queue[] = [];

  const queueOf = async (name: string): Promise<QueueJson | undefined> => {
    await pulse.cycle();
    const body = (await pulse.get('/api/pulse/queues', bearer)).json<{
      queues: Record<string, QueueJson[]>;
    }>();
    return body.queues[SERVICE]?.find((q) => q.name === name);
  };

  /** Issues `type` on `queue` and waits until the agent's result is in. */
  async function issue(type: string, queue: string, headers: Record<string, string> = ops) {
    const body = { service: SERVICE, nodeId: agent.getNodeId(), type, queue, driver: 'bullmq' };
    const reply = await httpPost(pulse.port, '/api/pulse/command', body, headers);
    expect(reply.statusCode).toBe(202);
    const { commandId } = reply.json<{ commandId: string }>();
    await eventually(async () => {
      const status = (await pulse.get(`/api/pulse/commands/${commandId}`, bearer)).json<{
        status: string;
      }>().status;
      return status === 'pending' ? undefined : status;
    }, 15_000);
    return commandId;
  }

  beforeAll(async () => {
    const url = await claimDatabase();
    const commands: CommandOptions = {
      token: SIGNING_TOKEN,
      allowUnsigned: false,
      ttlMs: 60_000,
      resultTimeoutMs: 30_000,
      auditRetentionMs: 86_400_000,
      auditMaxLength: 1000,
    };
    pulse = await startPulse(url, {
      apiTokens: [{ name: 'ops-oncall', scopes: ['read', 'pause'], secret: OPS_SECRET }],
      commands,
    });
    const connection = bullmqConnection(url);
    for (const name of ['emails', 'reports']) {
      const queue = new Queue(name, { connection });
      queues.push(queue);
      await queue.add('send', {});
    }
    agent = new QuasarAgent({
      service: SERVICE,
      name: 'shop-1',
      interval: 200,
      transport: { url },
      logger: silent,
      otel: { enabled: false },
    });
    agent.monitorQueue('emails', 'bullmq');
    agent.monitorQueue('reports', 'bullmq');
    await agent.enableRemoteControl({ queues: { emails: ['pause'] }, token: SIGNING_TOKEN });
    await agent.start();
  }, 30_000);

  afterAll(async () => {
    await agent?.stop();
    await Promise.all(queues.map((q) => q.close()));
    await pulse?.close();
  });

  it('shows pausedBy and pausedAt while paused, audits the token, and clears both on resume', async () => {
    const before = Date.now();
    const id = await issue('PAUSE_QUEUE', 'emails', { ...ops, 'x-grafana-user': 'ada' });
    expect(await queues[0]!.isPaused()).toBe(true);

    const paused = await eventually(
      async () => {
        const q = await queueOf('emails');
        return q?.paused === true ? q : undefined;
      },
      10_000,
      'emails paused in the API',
    );
    expect(paused.pausedBy).toBe('ada');
    expect(paused.pausedAt).toBeGreaterThanOrEqual(before);
    expect(paused.pausedAt).toBeLessThanOrEqual(Date.now());
    const record = JSON.parse((await pulse.redis.hget(QuasarKeys.queuePauses(SERVICE), 'emails'))!);
    expect(record).toEqual({
      actor: 'ada',
      tokenName: 'ops-oncall',
      at: paused.pausedAt,
      commandId: id,
    });
    expect(await pulse.redis.ttl(QuasarKeys.queuePauses(SERVICE))).toBeGreaterThan(86_400);

    const audit = (await pulse.get('/api/pulse/audit?limit=10', bearer)).json<{
      entries: Array<Record<string, unknown>>;
    }>().entries;
    expect(audit.find((e) => e.id === id)).toMatchObject({
      action: 'PAUSE_QUEUE',
      actor: 'ada',
      tokenName: 'ops-oncall',
      queue: 'emails',
      scope: 'queue',
    });

    const resume = await issue('RESUME_QUEUE', 'emails');
    expect(await queues[0]!.isPaused()).toBe(false);
    expect(await pulse.redis.hexists(QuasarKeys.queuePauses(SERVICE), 'emails')).toBe(0);
    const resumed = await eventually(
      async () => {
        const q = await queueOf('emails');
        return q?.paused === false ? q : undefined;
      },
      10_000,
      'emails running in the API',
    );
    expect(resumed).not.toHaveProperty('pausedBy');
    expect(resumed).not.toHaveProperty('pausedAt');
    expect(audit.length).toBeGreaterThan(0);
    const entries = (await pulse.get('/api/pulse/audit?limit=10', bearer)).json<{
      entries: Array<Record<string, unknown>>;
    }>().entries;
    expect(entries.find((e) => e.id === resume)).toMatchObject({
      action: 'RESUME_QUEUE',
      actor: 'ops-oncall',
      tokenName: 'ops-oncall',
    });
  });

  it('shows a queue paused outside Quasar as paused with no one named, and ignores a hostile record', async () => {
    await queues[1]!.pause();
    await pulse.redis.hset(
      QuasarKeys.queuePauses(SERVICE),
      'reports',
      '{"actor":{"x":1},"at":"now"}',
    );
    const paused = await eventually(
      async () => {
        const q = await queueOf('reports');
        return q?.paused === true ? q : undefined;
      },
      10_000,
      'reports paused in the API',
    );
    expect(paused).not.toHaveProperty('pausedBy');
    expect(paused).not.toHaveProperty('pausedAt');
  });

  it('does not show the record of a pause the agent refused', async () => {
    await queues[1]!.resume();
    // `reports` does not allow pause: the agent rejects it, the record is written all the same.
    const id = await issue('PAUSE_QUEUE', 'reports');
    const raw = await pulse.redis.hget(QuasarKeys.queuePauses(SERVICE), 'reports');
    expect(JSON.parse(raw!)).toMatchObject({ actor: 'ops-oncall', commandId: id });
    const running = await eventually(
      async () => {
        const q = await queueOf('reports');
        return q?.paused === false ? q : undefined;
      },
      10_000,
      'reports running in the API',
    );
    expect(running).not.toHaveProperty('pausedBy');
  });
});
