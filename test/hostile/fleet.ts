/**
 * The hostile-agent suite's fleet, every part real and as deployed: a private redis-server with
 * the ACL users `quasar-agent acl` prints, two honest agents (the SDK) writing as their
 * service's user, the built collector running as its user and exporting to a local OTLP
 * endpoint, and the built Pulse page in front of it. The attacker holds one agent's credentials
 * (service `evil`), or, where the attack needs a name no generated user can have, the admin's.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { QuasarAgent } from '@gravito/quasar';
import { startCollectorProcess } from '../../testing/quasar-collector';
import type { CollectorProcess } from '../../testing/quasar-collector';
import { spawnManaged, waitUntilReady } from '../../testing/managed-process';
import type { ManagedProcess } from '../../testing/managed-process';
import { attributeMap, startOtlpReceiver } from '../../testing/otlp-receiver';
import type { OtlpAttribute, OtlpReceiver } from '../../testing/otlp-receiver';
import { freePort, startRedisServer } from '../../testing/redis-server';
import type { RedisServer } from '../../testing/redis-server';

const run = promisify(execFile);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

export const HONEST_SERVICE = 'shop';
/** The honest agents' names; their node ids are `{name}-{pid}` (`Fleet.honestNodes`). */
const HONEST_NAMES = ['web-1', 'web-2'];
export const ATTACKER_SERVICE = 'evil';
export const API_TOKEN = 'hostile-suite-api-token';
export const WRITE_TOKEN = 'hostile-suite-write-token';
const PREFIX = 'h-';
const silent = { debug() {}, info() {}, warn() {}, error() {} };

export interface Fleet {
  /** The honest agents' node ids. */
  honestNodes: string[];
  admin: Redis;
  /** The attacker: the generated agent user of service `evil`. */
  evil: Redis;
  receiver: OtlpReceiver;
  collector: CollectorProcess;
  pulseUrl: string;
  /** `GET`/`POST` on the collector with a token; the status and the body. */
  api(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: string }>;
  /** Waits for a metrics export that starts after now, and returns whose liveness it carried. */
  nextExportedNodes(): Promise<Map<string, number>>;
  /** The collector process's peak resident memory so far, MB (VmHWM). */
  collectorPeakRssMb(): number;
  close(): Promise<void>;
}

/** `service.instance.id` → `quasar.node.up` value, from the metrics requests after `from`. */
function nodesUp(receiver: OtlpReceiver, from: number): Map<string, number> {
  const up = new Map<string, number>();
  for (const req of receiver.requests.slice(from)) {
    if (req.signal !== 'metrics') continue;
    const body = req.json as {
      resourceMetrics?: Array<{
        resource?: { attributes?: OtlpAttribute[] };
        scopeMetrics?: Array<{
          metrics?: Array<{
            name: string;
            gauge?: { dataPoints?: Array<{ asInt?: string; asDouble?: number }> };
          }>;
        }>;
      }>;
    };
    for (const rm of body.resourceMetrics ?? []) {
      const id = attributeMap(rm.resource?.attributes)['service.instance.id'];
      for (const metric of (rm.scopeMetrics ?? []).flatMap((sm) => sm.metrics ?? [])) {
        if (metric.name !== 'quasar.node.up' || typeof id !== 'string') continue;
        const point = metric.gauge?.dataPoints?.[0];
        up.set(id, Number(point?.asInt ?? point?.asDouble ?? NaN));
      }
    }
  }
  return up;
}

/** Starts every part; nothing hostile has been written yet. */
export async function startFleet(): Promise<Fleet> {
  const password = randomUUID();
  const server: RedisServer = await startRedisServer();
  const admin = new Redis(server.urlFor(0));
  const urlOf = (user: string) => {
    const url = new URL(server.urlFor(0));
    url.username = user;
    url.password = password;
    return url.toString();
  };
  const agentBin = join(packageDir('@gravito/quasar'), 'dist', 'bin', 'quasar-agent.js');
  for (const service of [HONEST_SERVICE, ATTACKER_SERVICE]) {
    const { stdout } = await run(process.execPath, [
      agentBin,
      'acl',
      '--service',
      service,
      '--user-prefix',
      PREFIX,
    ]);
    for (const line of stdout.split('\n').filter((l) => l.startsWith('ACL SETUSER '))) {
      const [, , name, ...rules] = line.split(' ');
      await admin.call(
        'ACL',
        'SETUSER',
        name as string,
        ...rules.map((r) => (r === '>CHANGE-ME' ? `>${password}` : r)),
      );
    }
  }
  const evil = new Redis(urlOf(`${PREFIX}agent-${ATTACKER_SERVICE}`));

  const agents = HONEST_NAMES.map(
    (name) =>
      new QuasarAgent({
        service: HONEST_SERVICE,
        name,
        interval: 1000,
        logger: silent,
        otel: { enabled: false },
        transport: { url: urlOf(`${PREFIX}agent-${HONEST_SERVICE}`) },
        // The application's own Redis, where its queue lives: not the Quasar user's to read.
        monitor: { url: server.urlFor(0) },
      }),
  );
  for (const agent of agents) {
    agent.monitorQueue('emails', 'redis');
    await agent.start();
  }

  const receiver = await startOtlpReceiver();
  const collector = await startCollectorProcess({
    redisUrl: urlOf(`${PREFIX}collector`),
    apiToken: API_TOKEN,
    commandToken: 'hostile-suite-signing-secret',
    args: [
      ...['--export-metrics', 'true', '--export-logs', 'true'],
      // The shortest export interval the 500 ms refresh allows: lease TTL (2 refreshes) plus
      // one refresh must stay under it.
      ...['--export-interval', '2000', '--lease-ttl', '1000'],
      ...['--metrics-protocol', 'http/json', '--logs-protocol', 'http/json'],
    ],
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, QUASAR_API_WRITE_TOKEN: WRITE_TOKEN },
  });

  const pulsePort = await freePort();
  const pulse: ManagedProcess = spawnManaged(
    process.execPath,
    [join(packageDir('@gravito/quasar-pulse-web'), 'dist', 'server', 'bin', 'quasar-pulse-web.js')],
    {
      name: 'quasar-pulse-web',
      env: {
        QUASAR_COLLECTOR_URL: collector.url,
        QUASAR_API_TOKEN: API_TOKEN,
        QUASAR_ROLE: 'Viewer',
        HOST: '127.0.0.1',
        PORT: String(pulsePort),
      },
    },
  );
  await waitUntilReady(
    pulse,
    () => Promise.resolve(pulse.output().includes('Quasar Pulse page on')),
    20_000,
    'the Pulse page',
  );
  const pulseUrl = /Quasar Pulse page on (\S+)/.exec(pulse.output())?.[1] ?? '';

  const honestNodes = agents.map((a) => a.getNodeId());
  return {
    honestNodes,
    admin,
    evil,
    receiver,
    collector,
    pulseUrl,
    async api(method, path, body, token = API_TOKEN) {
      const res = await fetch(`${collector.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: await res.text() };
    },
    async nextExportedNodes() {
      const from = receiver.requests.length;
      const until = Date.now() + 20_000;
      while (Date.now() < until) {
        const up = nodesUp(receiver, from);
        if (honestNodes.every((id) => up.has(id))) return up;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(
        `no export carried every honest node within 20 s; collector said:\n${collector.process.output().slice(-4000)}`,
      );
    },
    collectorPeakRssMb() {
      const status = readFileSync(`/proc/${collector.process.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
    },
    async close() {
      await pulse.stop();
      await collector.stop();
      await Promise.all(agents.map((a) => a.stop()));
      await receiver.close();
      evil.disconnect();
      await admin.quit();
      await server.stop();
    },
  };
}
