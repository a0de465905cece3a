/**
 * The built collector running as the Redis user `quasar-agent acl` generates for it, beside an
 * agent writing as its own generated user: every Redis command the collector sends, Lua scripts'
 * inner commands included, must be allowed, or a cycle, a slow-log export or an API route fails
 * with NOPERM. Both bins run as separate processes on a private redis-server, as deployed.
 */
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { QuasarKeys, slowEntryToFields } from '@gravito/quasar/schema';
import { startCollectorProcess } from '../../../testing/quasar-collector';
import type { CollectorProcess } from '../../../testing/quasar-collector';
import { attributeMap, startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpAttribute, OtlpReceiver } from '../../../testing/otlp-receiver';
import { describeWithRedis, eventually } from '../../../testing/redis';
import { startRedisServer } from '../../../testing/redis-server';
import type { RedisServer } from '../../../testing/redis-server';
import { collectorBin } from '../../../testing/quasar-collector';
import { httpGet } from '../api/pulse-fixture';
import { original } from '../support/fixtures';

const run = promisify(execFile);

/** `POST` of a JSON body on a local port; the status and the body text. */
function httpPost(
  port: number,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
const SERVICE = 'shop';
const PREFIX = 'q-';
const TOKEN = 'acl-test-api-token';

const agentBin = () =>
  join(dirname(require.resolve('@gravito/quasar/package.json')), 'dist', 'bin', 'quasar-agent.js');

describeWithRedis('the collector as its generated ACL user', () => {
  const password = randomUUID();
  let server: RedisServer;
  let admin: Redis;
  let agent: Redis;
  let receiver: OtlpReceiver;
  let collector: CollectorProcess | undefined;

  const urlOf = (user: string) => {
    const url = new URL(server.urlFor(0));
    url.username = user;
    url.password = password;
    return url.toString();
  };

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.urlFor(0));
    const { stdout } = await run(process.execPath, [
      agentBin(),
      'acl',
      '--service',
      SERVICE,
      '--user-prefix',
      PREFIX,
      '--queue',
      'emails:bullmq',
    ]);
    for (const line of stdout.split('\n').filter((l) => l.startsWith('ACL SETUSER '))) {
      const [, , name, ...rules] = line.split(' ');
      const withPassword = rules.map((r) => (r === '>CHANGE-ME' ? `>${password}` : r));
      await admin.call('ACL', 'SETUSER', name as string, ...withPassword);
    }
    agent = new Redis(urlOf(`${PREFIX}agent-${SERVICE}`));
    receiver = await startOtlpReceiver();

    // What an agent writes, through its own user: heartbeat, index, queue hash, slow log.
    const hb = original('nodeBun', { service: SERVICE, id: 'web-1', interval: 10_000 }, Date.now());
    const key = QuasarKeys.node(SERVICE, 'web-1');
    await agent.set(key, JSON.stringify(hb), 'EX', 60);
    await agent.zadd(QuasarKeys.nodeIndex, Date.now(), key);
    const size = { waiting: 3, active: 0, failed: 1, delayed: 0 };
    await agent.hset(
      QuasarKeys.queues(SERVICE),
      'emails',
      JSON.stringify({ name: 'emails', driver: 'bullmq', size, observedAt: Date.now() }),
    );
    const slow = {
      kind: 'request',
      name: 'GET /cart',
      durationMs: 2300,
      thresholdMs: 1000,
    } as const;
    await agent.xadd(
      QuasarKeys.slowLog(SERVICE),
      '*',
      ...slowEntryToFields({ ...slow, nodeId: 'web-1', timestamp: Date.now() }),
    );
    // And junk an agent's user may write: an index member that is not a heartbeat key.
    await agent.zadd(QuasarKeys.nodeIndex, Date.now(), 'app:session:42');
  });

  afterAll(async () => {
    await collector?.stop();
    agent?.disconnect();
    await admin?.quit();
    await receiver?.close();
    await server?.stop();
  });

  it('runs a whole --once cycle: reads, prunes, exports metrics and the slow log, exit 0', async () => {
    const result = await run(
      process.execPath,
      [
        collectorBin(),
        '--once',
        '--redis-url',
        urlOf(`${PREFIX}collector`),
        '--export-metrics',
        'true',
        '--export-logs',
        'true',
        '--metrics-protocol',
        'http/json',
        '--logs-protocol',
        'http/json',
      ],
      { env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint } },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`--once failed: ${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    expect(result.stdout + result.stderr).not.toMatch(/NOPERM/);
    // Nodes whose liveness was exported: the slow-log histograms name the node too.
    const live = new Set<unknown>();
    for (const req of receiver.requests.filter((r) => r.signal === 'metrics')) {
      const body = req.json as {
        resourceMetrics: Array<{
          resource?: { attributes?: OtlpAttribute[] };
          scopeMetrics?: Array<{ metrics?: Array<{ name: string }> }>;
        }>;
      };
      for (const rm of body.resourceMetrics) {
        const names = (rm.scopeMetrics ?? []).flatMap((sm) =>
          (sm.metrics ?? []).map((m) => m.name),
        );
        if (names.includes('quasar.node.up')) {
          live.add(attributeMap(rm.resource?.attributes)['service.instance.id']);
        }
      }
    }
    expect([...live]).toEqual(['web-1']);
    expect(receiver.logRecords().map((r) => r.record.body?.stringValue)).toEqual([
      'Slow request GET /cart took 2300 ms (threshold 1000 ms)',
    ]);
    expect(await admin.zrange(QuasarKeys.nodeIndex, 0, -1)).toEqual([
      QuasarKeys.node(SERVICE, 'web-1'),
    ]);
  });

  it('serves every API route and issues a command without a NOPERM', async () => {
    collector = await startCollectorProcess({
      redisUrl: urlOf(`${PREFIX}collector`),
      apiToken: TOKEN,
      commandToken: 'acl-test-signing-secret',
    });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const get = (path: string) => httpGet(collector!.port, path, auth);
    // Until its first read of Redis the collector answers 503 QUASAR_NOT_READY (documented).
    const nodes = await eventually(
      async () => {
        const reply = await get('/api/pulse/nodes');
        return reply.statusCode === 503 ? undefined : reply;
      },
      10_000,
      'the collector to finish its first read',
    );
    expect(nodes.statusCode).toBe(200);
    expect(Object.keys(nodes.json<{ nodes: object }>().nodes)).toEqual([SERVICE]);
    const queues = (await get('/api/pulse/queues')).json<{
      queues: Record<string, Array<{ name: string; source: string }>>;
    }>();
    expect(queues.queues[SERVICE]?.map((q) => `${q.name}/${q.source}`)).toEqual([
      'default/heartbeat',
      'emails/hash',
    ]);
    expect((await get('/api/pulse/slow')).statusCode).toBe(200);
    // No agent listens: the audit entry is written, the command published to nobody, and the
    // collector records the outcome itself (409).
    const command = {
      service: SERVICE,
      nodeId: '*',
      type: 'RETRY_JOB',
      queue: 'emails',
      jobId: '7',
    };
    const posted = await httpPost(collector.port, '/api/pulse/command', command, auth);
    expect(posted.status).toBe(409);
    const audit = (await get('/api/pulse/audit')).json<{ entries: Array<{ queue: string }> }>();
    expect(audit.entries.map((e) => e.queue)).toEqual(['emails']);
    expect((await get('/readyz')).statusCode).toBe(200);
    expect(collector.process.output()).not.toMatch(/NOPERM/);
  });

  it('was denied nothing by Redis, in any of the above (ACL LOG is empty)', async () => {
    expect(await admin.call('ACL', 'LOG')).toEqual([]);
  });
});
