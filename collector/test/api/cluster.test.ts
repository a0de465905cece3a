import { createRedisClient, duplicateRedisClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import {
  COMMAND_KEY_TTL_SECONDS,
  QuasarKeys,
  parseCommand,
  serviceKeys,
  slowEntryToFields,
} from '@gravito/quasar/schema';
import type { CommandResult, KeyLayout } from '@gravito/quasar/schema';
import { PulseState } from '../../src/cycle/pulse-state';
import { startRedisCluster } from '../../../testing/redis-cluster';
import type { RedisCluster } from '../../../testing/redis-cluster';
import { describeWithRedisCluster, eventually } from '../../../testing/redis';
import { original } from '../support/fixtures';
import { slowJob, slowRequest } from '../slowlog/consumer-fixture';
import { WRITE_TOKEN, commands, startApi } from './command-fixture';
import type { CommandApi } from './command-fixture';

/** Long enough that the command still reads pending right after its 202 on a loaded machine. */
const DEADLINE_MS = 3000;

interface StatusBody {
  status: string;
  result?: { status: string; nodeId: string };
}

/** The Pulse API on a private cluster of its own: the audit stream is fleet-wide. */
describeWithRedisCluster('the Pulse API on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let api: CommandApi;
  let redis: RedisClient;
  const state = new PulseState();

  beforeAll(async () => {
    cluster = await startRedisCluster();
    redis = createRedisClient(cluster.url);
    api = await startApi(
      cluster.url,
      { apiWriteToken: WRITE_TOKEN, commands: commands({ resultTimeoutMs: DEADLINE_MS }) },
      state,
    );
  });

  afterAll(async () => {
    await api?.close();
    await redis?.quit();
    await cluster?.stop();
  });

  /** A heartbeat key written as an agent of `layout` writes it: fresh, with its TTL. */
  async function beat(service: string, nodeId: string, layout: KeyLayout): Promise<void> {
    const payload = original('nodeBun', { service, nodeId });
    await redis.set(serviceKeys(service, layout).node(nodeId), JSON.stringify(payload), 'EX', 30);
  }

  const status = async (id: string) =>
    (await api.get(`/api/pulse/commands/${id}`)).json<StatusBody>();

  describe('GET /api/pulse/slow', () => {
    it('reads the v1 and v2 streams of services spread over the primaries, newest first', async () => {
      const services = ['orders', 'billing', 'search', 'mailer', 'images', 'auth'];
      const written: string[] = [];
      const primaries = new Set<string>();
      for (const [i, service] of services.entries()) {
        const key = serviceKeys(service, i % 2 ? 'v2' : 'v1').slowLog;
        primaries.add((await cluster.primaryFor(key)).address);
        const entry = (i % 2 ? slowJob : slowRequest)({ durationMs: 1000 + i });
        const id = await redis.xadd(key, '*', ...slowEntryToFields(entry));
        written.push(`${service}/${id}`);
      }
      expect(primaries.size).toBeGreaterThan(1);
      state.setStreamServices(new Set(services));

      const res = await api.get('/api/pulse/slow');
      expect(res.statusCode).toBe(200);
      const body = res.json<{ entries: Array<{ id: string; service: string }>; skipped: number }>();
      expect(body.skipped).toBe(0);
      expect(body.entries.map((e) => `${e.service}/${e.id}`).sort()).toEqual([...written].sort());
      const ids = body.entries.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));

      const one = await api.get('/api/pulse/slow?service=billing');
      expect(one.json<{ entries: Array<{ service: string }> }>().entries).toEqual([
        expect.objectContaining({ service: 'billing', kind: 'job' }),
      ]);
    });
  });

  describe('commands', () => {
    it('refuses with 409 a command to a node with no heartbeat', async () => {
      const res = await api.post({
        service: 'ghosts',
        nodeId: 'node-1',
        type: 'RETRY_JOB',
        jobKey: 'job-1',
        queue: 'q',
      });
      expect(res.statusCode).toBe(409);
      expect((await status(res.json<{ commandId: string }>().commandId)).status).toBe('rejected');
    });

    it.each(['v1', 'v2'] as const)(
      'issues a command to a node with a fresh %s heartbeat and no subscriber, which expires after the deadline',
      async (layout) => {
        const service = `silent-${layout}`;
        await beat(service, 'node-1', layout);
        const res = await api.post({
          service,
          nodeId: 'node-1',
          type: 'RETRY_JOB',
          jobKey: 'job-1',
          queue: 'q',
        });
        expect(res.statusCode).toBe(202);
        const id = res.json<{ commandId: string }>().commandId;
        expect((await status(id)).status).toBe('pending');
        await eventually(
          async () => ((await status(id)).status === 'expired' ? true : undefined),
          DEADLINE_MS + 10_000,
          'the command to expire',
        );
      },
    );

    it('issues a broadcast to a service with a live v2 node, and refuses one to a service with none', async () => {
      await beat('fleet-v2', 'node-7', 'v2');
      await redis.zadd(
        QuasarKeys.v2.nodeIndex('fleet-v2'),
        Date.now(),
        QuasarKeys.v2.node('fleet-v2', 'node-7'),
      );
      const body = { nodeId: '*', type: 'DELETE_JOB', queue: 'q', jobKey: '*' };
      expect((await api.post({ ...body, service: 'fleet-v2' })).statusCode).toBe(202);
      expect((await api.post({ ...body, service: 'fleet-none' })).statusCode).toBe(409);
    });

    it('reads succeeded once an agent subscribed on the cluster answers', async () => {
      await beat('answering', 'node-1', 'v2');
      const agent = duplicateRedisClient(redis);
      try {
        await agent.subscribe(QuasarKeys.commandChannel('answering', 'node-1'));
        agent.on('message', (_channel: string, text: string) => {
          const parsed = parseCommand(text);
          if (!parsed.ok) return;
          const result: CommandResult = {
            commandId: parsed.value.id,
            status: 'succeeded',
            affected: 1,
            nodeId: 'node-1',
            finishedAt: Date.now(),
          };
          // As the SDK's result writer does: store the result, then publish it.
          const json = JSON.stringify(result);
          void redis
            .set(QuasarKeys.commandResult(result.commandId), json, 'EX', COMMAND_KEY_TTL_SECONDS)
            .then(() => redis.publish(QuasarKeys.commandResultsChannel, json));
        });
        const res = await api.post({
          service: 'answering',
          nodeId: 'node-1',
          type: 'RETRY_JOB',
          jobKey: 'job-1',
          queue: 'q',
        });
        expect(res.statusCode).toBe(202);
        const id = res.json<{ commandId: string }>().commandId;
        const answered = await eventually(
          async () => {
            const body = await status(id);
            return body.status === 'succeeded' ? body : undefined;
          },
          10_000,
          'the agent to answer',
        );
        expect(answered.result).toMatchObject({ status: 'succeeded', nodeId: 'node-1' });
      } finally {
        agent.disconnect();
      }
    });
  });

  describe('GET /api/pulse/audit', () => {
    it('pages the trail with each command’s outcome, whatever slots the result keys are in', async () => {
      const res = await api.get('/api/pulse/audit?limit=3');
      expect(res.statusCode).toBe(200);
      const page = res.json<{
        entries: Array<{ service: string; outcome: { status: string } }>;
        next: string | null;
      }>();
      // Newest first: the answered command, then the broadcasts of the test before it.
      expect(page.entries.map((e) => [e.service, e.outcome.status])).toEqual([
        ['answering', 'succeeded'],
        ['fleet-none', 'rejected'],
        ['fleet-v2', 'pending'],
      ]);
      expect(page.next).not.toBeNull();
      const all = await api.get('/api/pulse/audit?limit=1000');
      const statuses = all
        .json<{ entries: Array<{ service: string; outcome: { status: string } }> }>()
        .entries.map((e) => `${e.service}:${e.outcome.status}`);
      expect(statuses).toEqual(
        expect.arrayContaining(['silent-v1:expired', 'silent-v2:expired', 'ghosts:rejected']),
      );
    });
  });
});
