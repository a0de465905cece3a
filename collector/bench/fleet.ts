/**
 * A fleet of heartbeats in Redis, written exactly as the SDK writes them (SET … EX, ZADD to
 * the node index), from a template beat taken by a real `QuasarAgent`.
 */
import type Redis from 'ioredis';
import type { RedisClient } from '@gravito/quasar';
import { QuasarAgent } from '@gravito/quasar';
import type { Heartbeat } from '@gravito/quasar/schema';
import { QuasarKeys, heartbeatTtlSeconds } from '@gravito/quasar/schema';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** One real beat of this process, to clone. */
export async function templateBeat(url: string): Promise<Heartbeat> {
  const agent = new QuasarAgent({
    service: 'bench',
    name: 'template',
    interval: 200,
    transport: { url },
    logger: silent,
    otel: { enabled: false },
  });
  await agent.start();
  const deadline = Date.now() + 5000;
  while (!agent.getLastHeartbeat()?.eventLoop && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const beat = agent.getLastHeartbeat();
  await agent.stop();
  if (!beat) throw new Error('the template agent produced no heartbeat');
  return beat;
}

/** Node `i` of the fleet: the template with its own id, pid, host, time and CPU. */
export function fleetBeat(template: Heartbeat, i: number, service: string, now: number): Heartbeat {
  return {
    ...template,
    id: `node-${i}-${1000 + (i % 50_000)}`,
    service,
    pid: 1000 + i,
    hostname: `host-${i % 500}`,
    timestamp: now,
    cpu: { ...template.cpu, system: (i * 7) % 100, process: (i * 3) % 100 },
  };
}

/** Writes (or rewrites) `count` nodes over `services` services, in pipelined chunks. */
export async function writeFleet(
  redis: Redis,
  template: Heartbeat,
  count: number,
  services: number,
  now = Date.now(),
): Promise<string[]> {
  const keys: string[] = [];
  const ttl = heartbeatTtlSeconds(template.interval ?? 10_000);
  for (let start = 0; start < count; start += 1000) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const service = `svc-${i % services}`;
      const beat = fleetBeat(template, i, service, now);
      const key = QuasarKeys.node(service, beat.id);
      keys.push(key);
      pipeline.set(key, JSON.stringify(beat), 'EX', ttl);
      pipeline.zadd(QuasarKeys.nodeIndex, now, key);
    }
    await pipeline.exec();
  }
  return keys;
}

/**
 * Writes (or rewrites) `count` nodes over `services` services in the v2 (cluster) layout, as
 * an SDK on a cluster writes them: `SET … EX` of `gravito:quasar:node:{svc}:id` and `ZADD` to
 * the service's own index, one pipeline per service (its keys share a slot), and the service
 * in `gravito:quasar:services`. Works on a single Redis and on a cluster.
 */
export async function writeFleetV2(
  client: RedisClient,
  template: Heartbeat,
  count: number,
  services: number,
  now = Date.now(),
): Promise<string[]> {
  const keys: string[] = [];
  const ttl = heartbeatTtlSeconds(template.interval ?? 10_000);
  const perService = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const s = i % services;
    const list = perService.get(s) ?? [];
    list.push(i);
    perService.set(s, list);
  }
  const writes: Array<Promise<unknown>> = [];
  for (const [s, nodes] of perService) {
    const service = `svc-${s}`;
    for (let start = 0; start < nodes.length; start += 1000) {
      const pipeline = client.pipeline();
      for (const i of nodes.slice(start, start + 1000)) {
        const beat = fleetBeat(template, i, service, now);
        const key = QuasarKeys.v2.node(service, beat.id);
        keys.push(key);
        pipeline.set(key, JSON.stringify(beat), 'EX', ttl);
        pipeline.zadd(QuasarKeys.v2.nodeIndex(service), now, key);
      }
      writes.push(pipeline.exec());
    }
    writes.push(client.zadd(QuasarKeys.services, now, service));
  }
  await Promise.all(writes);
  return keys;
}
