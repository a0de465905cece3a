/**
 * A collector exporting to a real local OTLP receiver and serving the API, reading a real Redis
 * database that honest agents and a hostile one write to, with a live SSE client connected:
 * the set-up of the hostile-input tests. Each honest node can be checked for in every export.
 */
import { request } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';
import { buildApp } from '../../src/api/app';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import { MetricBatchExporter } from '../../src/otlp/metric-exporter';
import { attributeMap, startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpAttribute, OtlpReceiver } from '../../../testing/otlp-receiver';
import { COLLECTOR_SETTINGS, RecordingLogger, TOKEN, httpGet } from '../api/pulse-fixture';
import type { Reply } from '../api/pulse-fixture';
import { original } from '../support/fixtures';

/** The honest fleet: three services of two nodes each. */
export const HONEST = ['orders', 'billing', 'mailer'].flatMap((service) =>
  [1, 2].map((n) => ({ service, id: `${service}-${n}` })),
);

export interface HostileFleet {
  /** An admin connection to the database (the attacker's and the honest agents' writes). */
  redis: Redis;
  collector: QuasarCollector;
  logger: RecordingLogger;
  receiver: OtlpReceiver;
  get(path: string): Promise<Reply>;
  /** Writes (or rewrites) every honest node's heartbeat and index entry. */
  beatHonest(): Promise<void>;
  /** A heartbeat of service `service`, node `id`, with `extra` fields. */
  heartbeat(service: string, id: string, extra?: Record<string, unknown>): Heartbeat;
  /** Runs one cycle that exports, and returns the `service.instance.id`s of that export. */
  exportedCycle(): Promise<Set<string>>;
  /** Bytes the Redis server has sent to its clients so far. */
  bytesSent(): Promise<number>;
  /** Chunks received by the connected SSE client so far. */
  sseText(): string;
  close(): Promise<void>;
}

function instanceIds(receiver: OtlpReceiver, from: number): Set<string> {
  const ids = new Set<string>();
  for (const req of receiver.requests.slice(from)) {
    if (req.signal !== 'metrics') continue;
    const body = req.json as {
      resourceMetrics?: Array<{ resource?: { attributes?: OtlpAttribute[] } }>;
    };
    for (const rm of body.resourceMetrics ?? []) {
      const id = attributeMap(rm.resource?.attributes)['service.instance.id'];
      if (typeof id === 'string') ids.add(id);
    }
  }
  return ids;
}

/** Opens `/api/pulse/stream` and keeps what arrives. */
function openStream(port: number): Promise<{ req: ClientRequest; text: () => string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/pulse/stream',
        headers: { authorization: `Bearer ${TOKEN}` },
      },
      (res: IncomingMessage) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        resolve({ req, text: () => text });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Starts the fleet's collector, app, receiver and SSE client on the database `redisUrl`. */
export async function startHostileFleet(
  redisUrl: string,
  maxPayloadBytes = 256 * 1024,
): Promise<HostileFleet> {
  const redis = new Redis(redisUrl);
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  const receiver = await startOtlpReceiver();
  const exporter = new MetricBatchExporter('http/json', { url: receiver.metricsUrl });
  const logger = new RecordingLogger();
  const collector = new QuasarCollector(
    { ...COLLECTOR_SETTINGS, maxPayloadBytes },
    { redis: client, metricExporter: exporter, logger },
  );
  const { app } = buildApp(
    {
      state: collector.state,
      redis: client,
      stats: () => collector.stats(),
      readiness: () => collector.readiness(),
    },
    { apiToken: TOKEN, noAuth: false },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const stream = await openStream(port);

  const heartbeat = (service: string, id: string, extra: Record<string, unknown> = {}) =>
    original('nodeBun', { service, id, interval: 10_000, ...extra }, Date.now());

  return {
    redis,
    collector,
    logger,
    receiver,
    get: (path) => httpGet(port, path, { authorization: `Bearer ${TOKEN}` }),
    heartbeat,
    async beatHonest() {
      for (const { service, id } of HONEST) {
        const key = QuasarKeys.node(service, id);
        await redis.set(key, JSON.stringify(heartbeat(service, id)), 'EX', 30);
        await redis.zadd(QuasarKeys.nodeIndex, Date.now(), key);
      }
    },
    async exportedCycle() {
      const from = receiver.requests.length;
      await collector.cycle({ forceExport: true, awaitExport: true });
      return instanceIds(receiver, from);
    },
    async bytesSent() {
      const info = await redis.info('stats');
      return Number(/total_net_output_bytes:(\d+)/.exec(info)?.[1] ?? NaN);
    },
    sseText: stream.text,
    async close() {
      stream.req.destroy();
      await app.close();
      await collector.stop();
      await exporter.shutdown();
      await receiver.close();
      client.disconnect();
      await redis.quit();
    },
  };
}
