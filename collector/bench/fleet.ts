/**
 * A fleet of heartbeats in Redis, written exactly as the SDK writes them (SET … EX, ZADD to
 * the node index), from a template beat taken by a real `QuasarAgent`.
 */
import type Redis from 'ioredis';
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
      const id = `node-${i}-${1000 + (i % 50_000)}`;
      const beat: Heartbeat = {
        ...template,
        id,
        service,
        pid: 1000 + i,
        hostname: `host-${i % 500}`,
        timestamp: now,
        cpu: { ...template.cpu, system: (i * 7) % 100, process: (i * 3) % 100 },
      };
      const key = QuasarKeys.node(service, id);
      keys.push(key);
      pipeline.set(key, JSON.stringify(beat), 'EX', ttl);
      pipeline.zadd(QuasarKeys.nodeIndex, now, key);
    }
    await pipeline.exec();
  }
  return keys;
}
