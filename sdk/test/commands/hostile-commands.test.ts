/**
 * Commands as an attacker or a broken issuer sends them, to a real agent on a real Redis: what
 * the agent stores in answer stays small whatever the message carries, an unsigned message is
 * judged by its signature before anything else of it is read, and a replay is refused even when
 * its claim key has been deleted.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { QuasarAgent } from '../../src';
import type { QuasarLogger } from '../../src';
import { signCommand } from '../../src/commands/signature';
import { QuasarKeys } from '../../src/schema';
import type { CommandResult, QuasarCommand } from '../../src/schema/command';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';

const TOKEN = 'hostile-commands-test-token';
const SERVICE = 'shop';
const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };

function command(targetNodeId: string, overrides: Partial<QuasarCommand> = {}): QuasarCommand {
  const now = Date.now();
  return {
    id: randomUUID(),
    type: 'DELETE_JOB',
    targetNodeId,
    payload: { queue: 'emails', jobKey: 'job-2', driver: 'redis' },
    timestamp: now,
    expiresAt: now + 60_000,
    issuer: 'quasar-collector',
    ...overrides,
  };
}

const signed = (c: QuasarCommand) => signCommand(c, TOKEN);

describeWithRedis('hostile commands against a real agent', () => {
  let redis: Redis;
  let agent: QuasarAgent;

  const send = (raw: string) =>
    redis.publish(QuasarKeys.commandChannel(SERVICE, agent.getNodeId()), raw);

  async function resultOf(id: string): Promise<CommandResult> {
    const raw = await eventually(
      async () => (await redis.get(QuasarKeys.commandResult(id))) ?? undefined,
      5000,
      `the result of ${id}`,
    );
    return JSON.parse(raw) as CommandResult;
  }

  /** Sends `raw`, then a sentinel: once the sentinel is answered, `raw` was handled. */
  async function handled(raw: string): Promise<void> {
    await send(raw);
    const sentinel = signed(command(agent.getNodeId(), { type: 'SENTINEL' }));
    await send(JSON.stringify(sentinel));
    await resultOf(sentinel.id);
  }

  /** Every stored result's size in bytes. */
  async function resultSizes(): Promise<number[]> {
    const keys = await redis.keys(QuasarKeys.commandResult('*'));
    return Promise.all(keys.map((k) => redis.strlen(k)));
  }

  beforeEach(async () => {
    const url = await claimDatabase();
    redis = new Redis(url);
    await redis.lpush('emails:failed', 'job-1', 'job-2', 'job-3');
    agent = new QuasarAgent({
      service: SERVICE,
      name: 'web-1',
      interval: 60_000,
      logger: silent,
      otel: { enabled: false },
      transport: { url },
    });
    agent.monitorQueue('emails', 'redis');
    await agent.enableRemoteControl({ queues: { emails: ['retry', 'delete'] }, token: TOKEN });
    await agent.start();
  });

  afterEach(async () => {
    await agent.stop();
    await redis.quit();
  });

  it('ignores a signed command of 10 MB, storing nothing under its id', async () => {
    const huge = signed(
      command(agent.getNodeId(), {
        payload: { queue: 'emails', jobKey: 'x'.repeat(10 << 20), driver: 'redis' },
      }),
    );
    await handled(JSON.stringify(huge));
    expect(await redis.exists(QuasarKeys.commandResult(huge.id))).toBe(0);
    expect(Math.max(...(await resultSizes()))).toBeLessThan(1024);
  });

  it('answers a job id over 512 characters as malformed, without echoing it', async () => {
    const long = signed(
      command(agent.getNodeId(), {
        payload: { queue: 'emails', jobKey: 'j'.repeat(600), driver: 'redis' },
      }),
    );
    await send(JSON.stringify(long));
    const result = await resultOf(long.id);
    expect(result).toMatchObject({
      status: 'rejected',
      reason: 'malformed command: payload.jobKey: longer than 512 characters',
    });
    expect(await redis.llen('emails:failed')).toBe(3);
  });

  it('never answers an unsigned message with a 1 MB id', async () => {
    const forged = { ...command(agent.getNodeId()), id: 'i'.repeat(1 << 20) };
    await handled(JSON.stringify(forged));
    expect(Math.max(...(await resultSizes()))).toBeLessThan(1024);
    expect((await redis.keys(QuasarKeys.commandResult('*'))).length).toBe(1); // the sentinel's
  });

  it('checks the signature of an unsigned message before its type', async () => {
    const forged = command(agent.getNodeId(), { type: 'DROP_EVERYTHING' });
    await send(JSON.stringify(forged));
    expect(await resultOf(forged.id)).toMatchObject({
      status: 'rejected',
      reason: 'unsigned command',
    });
  });

  it('refuses a replay even after the claim key was deleted', async () => {
    const del = signed(command(agent.getNodeId()));
    await send(JSON.stringify(del));
    expect(await resultOf(del.id)).toMatchObject({ status: 'succeeded', affected: 1 });
    expect(await redis.lrange('emails:failed', 0, -1)).toEqual(['job-3', 'job-1']);

    // Someone with write access puts the job back and erases the claim, then replays.
    await redis.lpush('emails:failed', 'job-2');
    await redis.del(QuasarKeys.commandClaim(del.id));
    await handled(JSON.stringify(del));
    expect(await redis.lrange('emails:failed', 0, -1)).toEqual(['job-2', 'job-3', 'job-1']);
  });
});
