/**
 * Quasar on a real Redis Cluster, end to end, with every part a real process or library: SDK
 * agents in both key layouts, the `quasar-agent` sidecar, original agents' keys found only by
 * SCAN, BullMQ under a `{bull}` prefix, the built collector exporting into the real
 * OpenTelemetry Collector scraped by Prometheus, a signed retry through the collector's API,
 * and the Pulse API through the pulse-web server.
 */
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { QuasarAgent, createRedisClient } from '@gravito/quasar';
import type { QuasarLogger, RedisClient } from '@gravito/quasar';
import { QuasarKeys, serviceKeys } from '@gravito/quasar/schema';
import { startPulseWeb } from '../../../pulse-web/src/server';
import type { PulseWebServer } from '../../../pulse-web/src/server';
import { spawnManaged } from '../../../testing/managed-process';
import type { ManagedProcess } from '../../../testing/managed-process';
import { startTestOtelcol } from '../../../testing/otelcol';
import type { TestOtelcol } from '../../../testing/otelcol';
import { anyValue, startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpReceiver, ReceivedLogRecord } from '../../../testing/otlp-receiver';
import { startPrometheus } from '../../../testing/prometheus';
import type { Prometheus } from '../../../testing/prometheus';
import { startCollectorProcess } from '../../../testing/quasar-collector';
import type { CollectorProcess } from '../../../testing/quasar-collector';
import { startRedisCluster } from '../../../testing/redis-cluster';
import type { RedisCluster } from '../../../testing/redis-cluster';
import { eventually } from '../../../testing/redis';
import { describeWithStack } from '../../../testing/stack';
import { original } from '../support/fixtures';

const TIMEOUT_MS = 60_000;
const API_TOKEN = 'cluster-e2e-api-token-5b1e';
const SIGNING_TOKEN = 'cluster-e2e-signing-secret-93fa';
const QUEUE = 'emails';
const FAILED_JOBS = ['mail-1', 'mail-2', 'mail-3'];
const PROXY = '/api/plugin-proxy/gravito-quasar-app';
const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };
const auth = { authorization: `Bearer ${API_TOKEN}` };

/** The `quasar-agent` bin of the SDK package. */
const SIDECAR_BIN = join(
  dirname(require.resolve('@gravito/quasar/package.json')),
  'bin',
  'quasar-agent.js',
);

interface PulseNodes {
  nodes: Record<string, Array<{ id: string; status: string }>>;
}

const bodyOf = (r: ReceivedLogRecord) => String(anyValue(r.record.body));

/** `service/id` of every node of a Pulse reply, sorted. */
const nodeKeysOf = (body: PulseNodes) =>
  Object.entries(body.nodes)
    .flatMap(([service, nodes]) => nodes.map((n) => `${service}/${n.id}`))
    .sort();

/** Reads `url` until the first complete `event: pulse` block, and returns its data. */
function firstPulseEvent(url: string): Promise<PulseNodes> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`the stream answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (const block of buffer.split('\n\n').slice(0, -1)) {
          const lines = block.split('\n');
          if (!lines.includes('event: pulse')) continue;
          const data = lines.find((l) => l.startsWith('data: '));
          if (data === undefined) continue;
          req.destroy();
          resolve(JSON.parse(data.slice('data: '.length)) as PulseNodes);
          return;
        }
      });
    });
    req.setTimeout(15_000, () => req.destroy(new Error('no pulse event within 15 s')));
    req.on('error', reject);
    req.end();
  });
}

describeWithStack(['otelcol', 'prometheus'])('Quasar on a Redis Cluster, end to end', () => {
  let cluster: RedisCluster;
  let redis: RedisClient;
  let bullConnection: RedisClient;
  let receiver: OtlpReceiver;
  let otelcol: TestOtelcol;
  let prometheus: Prometheus;
  let collector: CollectorProcess;
  let sidecar: ManagedProcess;
  let web: PulseWebServer;
  let queue: Queue;
  const agents: QuasarAgent[] = [];
  /** `service/nodeId` of every node the fleet holds, sorted once the fleet is up. */
  const expected: string[] = [];
  /** How each node's heartbeat is stored: its key's layout, and whether an index lists it. */
  const storage = new Map<string, string>();
  const add = (node: string, stored: string) => {
    expected.push(node);
    storage.set(node, stored);
  };
  let collectorStartedAt = 0;
  let storedBeforeCollector: string[] = [];

  function startAgent(service: string, name: string, keyLayout?: 'v1') {
    const agent = new QuasarAgent({
      service,
      name,
      interval: 1000,
      logger: silent,
      otel: { enabled: false },
      transport: { url: cluster.url },
      ...(keyLayout ? { keyLayout } : {}),
    });
    agents.push(agent);
    add(`${service}/${agent.getNodeId()}`, `${keyLayout ?? 'v2'} indexed`);
    return agent;
  }

  /** Original agents' keys, one on each primary: SET with a TTL, in no index. */
  async function writeOriginals() {
    const byPrimary = new Map<string, string>();
    for (let i = 0; byPrimary.size < 3 && i < 100; i++) {
      const hb = original(i % 2 ? 'goLaravel' : 'nodeBun', { id: `original-${i}` });
      const key = QuasarKeys.node(hb.service, hb.id);
      const primary = (await cluster.primaryFor(key)).address;
      if (byPrimary.has(primary)) continue;
      byPrimary.set(primary, key);
      await redis.set(key, JSON.stringify(hb), 'EX', 120);
      add(`${hb.service}/${hb.id}`, 'v1 unindexed');
    }
    expect(byPrimary.size).toBe(3);
  }

  beforeAll(async () => {
    cluster = await startRedisCluster();
    redis = createRedisClient(cluster.url);
    receiver = await startOtlpReceiver();
    otelcol = await startTestOtelcol({ logsForwardUrl: receiver.logsUrl });
    prometheus = await startPrometheus({ scrapeTargets: [otelcol.prometheusEndpoint] });

    // A BullMQ worker fails every job, one at a time, then leaves.
    bullConnection = createRedisClient(cluster.url, { maxRetriesPerRequest: null });
    queue = new Queue(QUEUE, { connection: bullConnection, prefix: '{bull}' });
    const worker = new Worker(QUEUE, () => Promise.reject(new Error('smtp refused')), {
      connection: bullConnection,
      prefix: '{bull}',
    });
    for (const jobId of FAILED_JOBS) {
      const job = await queue.add('send', {}, { jobId });
      await eventually(async () => ((await job.getState()) === 'failed' ? true : undefined));
    }
    await worker.close();

    const api = startAgent('checkout-api', 'api-1');
    api.monitorQueue(QUEUE, 'bullmq', { prefix: '{bull}' });
    await api.enableRemoteControl({ queues: { [QUEUE]: ['retry'] }, token: SIGNING_TOKEN });
    startAgent('mailer', 'mailer-1');
    startAgent('legacy-billing', 'billing-1', 'v1');
    await Promise.all(agents.map((agent) => agent.start()));

    sidecar = spawnManaged(process.execPath, [SIDECAR_BIN], {
      name: 'quasar-agent',
      env: {
        QUASAR_SERVICE: 'php-shop',
        QUASAR_NAME: 'side-1',
        QUASAR_TRANSPORT_REDIS_URL: cluster.url,
        QUASAR_INTERVAL: '1',
        QUASAR_LARAVEL_WORKERS: 'false',
      },
    });
    add(`php-shop/side-1-${sidecar.pid}`, 'v2 indexed');
    await writeOriginals();
    expected.sort();
    storedBeforeCollector = await eventually(
      async () => {
        // An agent writes its key and its index entry in two commands: wait for both.
        const stored = await storedNow();
        const indexed = (all: Iterable<string>) =>
          [...all].filter((s) => s.endsWith(' indexed')).length;
        return indexed(stored) === indexed(storage.values()) &&
          !stored.some((s) => s.endsWith('missing'))
          ? stored
          : undefined;
      },
      10_000,
      'every heartbeat in the cluster',
    );

    collectorStartedAt = Date.now();
    collector = await startCollectorProcess({
      redisUrl: cluster.url,
      apiToken: API_TOKEN,
      commandToken: SIGNING_TOKEN,
      args: [
        ...['--export-metrics', 'true', '--export-logs', 'true'],
        ...['--export-interval', '3s', '--scan-interval', '1s'],
      ],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: otelcol.otlpEndpoint },
    });
    web = await startPulseWeb({ collectorUrl: collector.url, apiToken: API_TOKEN, port: 0 });
  }, TIMEOUT_MS);

  afterAll(async () => {
    await web?.close();
    await collector?.stop();
    await sidecar?.stop();
    await Promise.all(agents.map((agent) => agent.stop()));
    await queue?.close();
    bullConnection?.disconnect();
    await prometheus?.stop();
    await otelcol?.stop();
    await receiver?.close();
    redis?.disconnect();
    await cluster?.stop();
  });

  /** Where `node`'s heartbeat is in the cluster, as `storage` describes it. */
  async function storedAs(node: string): Promise<string> {
    const [service, id] = node.split('/') as [string, string];
    for (const layout of ['v1', 'v2'] as const) {
      const keys = serviceKeys(service, layout);
      if ((await redis.exists(keys.node(id))) === 0) continue;
      const score = await redis.zscore(keys.nodeIndex, keys.node(id));
      return `${layout} ${score === null ? 'unindexed' : 'indexed'}`;
    }
    return 'missing';
  }

  /** `storedAs` for every node, as `service/nodeId layout indexed|unindexed`. */
  const storedNow = () => Promise.all(expected.map(async (n) => `${n} ${await storedAs(n)}`));

  it(
    'exports every node of both layouts, the sidecar and the originals as its own instance, and the failed jobs',
    async () => {
      let seen: string[] = [];
      const instances = await eventually(
        async () => {
          seen = (await prometheus.query('target_info'))
            .map((s) => `${s.metric.job}/${s.metric.instance}`)
            .sort();
          return seen.length >= expected.length ? seen : undefined;
        },
        45_000,
        `${expected.length} instances of target_info`,
      ).catch((error: Error) => {
        const said = collector.process.output();
        throw new Error(`${error.message}; seen: ${seen.join(', ')}; the collector said: ${said}`);
      });
      const arrivedMs = Date.now() - collectorStartedAt;
      expect(instances).toEqual(expected);
      // The originals were in no index until the collector found them by SCAN and listed them.
      expect(storedBeforeCollector).toEqual(expected.map((n) => `${n} ${storage.get(n)}`));
      // The SCAN's findings are listed right after the SCAN, in the background of the cycle
      // that may already export them: waited for, not read once.
      const indexedNow = expected.map(
        (n) => `${n} ${storage.get(n)!.replace('unindexed', 'indexed')}`,
      );
      let stored: string[] = [];
      await eventually(
        async () => {
          stored = await storedNow();
          return stored.join('\n') === indexedNow.join('\n') ? true : undefined;
        },
        10_000,
        'the originals in the index',
      ).catch(() => undefined);
      expect(stored).toEqual(indexedNow);

      const failed = await eventually(
        async () => {
          const found = await prometheus.query(
            `quasar_queue_jobs{job="checkout-api",quasar_queue_name="${QUEUE}",quasar_queue_state="failed"}`,
          );
          return found.length > 0 ? found : undefined;
        },
        20_000,
        'the failed count of the BullMQ queue',
      );
      expect(failed.map((s) => [s.metric.quasar_queue_driver, s.value])).toEqual([
        ['bullmq', FAILED_JOBS.length],
      ]);
      console.log(
        `cluster e2e: ${instances.length} nodes (3 SDK agents, 1 sidecar, 3 originals) in Prometheus ${arrivedMs} ms after the collector started`,
      );
    },
    TIMEOUT_MS,
  );

  it(
    'exports slow entries of a v2 and a v1 agent as OTLP log records',
    async () => {
      const [api, , billing] = agents;
      expect(api!.recordSlow({ kind: 'request', name: 'GET /orders/:id', durationMs: 1834 })).toBe(
        true,
      );
      expect(billing!.recordSlow({ kind: 'job', name: 'ChargeCard', durationMs: 7200 })).toBe(true);
      const records = await receiver.waitFor(() => {
        const found = receiver.logRecords().filter((r) => bodyOf(r).startsWith('Slow '));
        return found.length >= 2 ? found : undefined;
      }, 20_000);
      const sources = records.map((r) =>
        [r.resource['service.name'], r.resource['service.instance.id'], bodyOf(r)].join(' '),
      );
      expect(sources.sort()).toEqual([
        expect.stringMatching(new RegExp(`^checkout-api ${api!.getNodeId()} .*GET /orders/:id`)),
        expect.stringMatching(new RegExp(`^legacy-billing ${billing!.getNodeId()} .*ChargeCard`)),
      ]);
    },
    TIMEOUT_MS,
  );

  it(
    'retries a failed BullMQ job through a signed command from the API',
    async () => {
      const api = agents[0]!;
      const posted = await fetch(`${collector.url}/api/pulse/command`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          service: 'checkout-api',
          nodeId: api.getNodeId(),
          type: 'RETRY_JOB',
          queue: QUEUE,
          driver: 'bullmq',
          jobKey: 'mail-2',
        }),
      });
      expect(posted.status).toBe(202);
      const { commandId } = (await posted.json()) as { commandId: string };
      const outcome = await eventually(
        async () => {
          const res = await fetch(`${collector.url}/api/pulse/commands/${commandId}`, {
            headers: auth,
          });
          const body = (await res.json()) as { status: string; result?: { affected?: number } };
          return body.status === 'pending' ? undefined : body;
        },
        15_000,
        'the command to settle',
      );
      expect(outcome).toMatchObject({ status: 'succeeded', result: { affected: 1 } });
      expect(await Promise.all(FAILED_JOBS.map((id) => queue.getJobState(id)))).toEqual([
        'failed',
        'waiting',
        'failed',
      ]);
    },
    TIMEOUT_MS,
  );

  it(
    'lists every node through pulse-web, and its stream opens with a snapshot of them all',
    async () => {
      const listed = await eventually(
        async () => {
          const res = await fetch(`${web.url}${PROXY}/api/pulse/nodes`);
          if (res.status !== 200) return undefined;
          const keys = nodeKeysOf((await res.json()) as PulseNodes);
          return keys.length >= expected.length ? keys : undefined;
        },
        15_000,
        'every node through pulse-web',
      );
      expect(listed).toEqual(expected);

      const first = await firstPulseEvent(`${web.url}${PROXY}/api/pulse/stream`);
      expect(nodeKeysOf(first)).toEqual(expected);

      // Nothing along the way was a warning: no primary unread, no export refused.
      const warnings = collector.process
        .output()
        .split('\n')
        .filter((line) => /^\{"level":[4-6]\d,/.test(line));
      expect(warnings).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
