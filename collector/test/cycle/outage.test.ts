/**
 * Redis going away under a running collector: cycles fail without throwing out of the loop,
 * the failure is logged once per outage (not once per cycle), and reads resume on their own.
 */
import Redis from 'ioredis';
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import { COLLECTOR_DEFAULTS } from '../../src/config/options';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import { openRedis } from '../../src/redis/connection';
import { startRedisServer } from '../../../testing/redis-server';
import type { RedisServer } from '../../../testing/redis-server';
import { describeWithRedis, eventually } from '../../../testing/redis';
import { original } from '../support/fixtures';

class Lines {
  readonly lines: Array<{ level: string; message: string }> = [];
  info = (_f: object, message: string) => this.lines.push({ level: 'info', message });
  warn = (_f: object, message: string) => this.lines.push({ level: 'warn', message });
  error = (_f: object, message: string) => this.lines.push({ level: 'error', message });
  count = (level: string) => this.lines.filter((l) => l.level === level).length;
}

describeWithRedis('the collector while Redis goes away', () => {
  let server: RedisServer;
  let collector: QuasarCollector;
  let client: RedisClient;
  const logger = new Lines();

  beforeAll(async () => {
    server = await startRedisServer();
    client = openRedis(server.urlFor(0), 'test');
    client.on('error', () => undefined);
    collector = new QuasarCollector(
      { ...COLLECTOR_DEFAULTS, forgetAfterMs: 60_000, skipSelfExporting: true, consumerName: 't' },
      { redis: client, logger },
    );
  });

  afterAll(async () => {
    await collector?.stop();
    client?.disconnect();
    await server?.stop();
  });

  async function writeNode(): Promise<void> {
    const admin = new Redis(server.urlFor(0));
    const hb = original('nodeBun');
    await admin.set(QuasarKeys.node(hb.service, hb.id), JSON.stringify(hb), 'EX', 30);
    await admin.quit();
  }

  it('logs one failure for an outage of several cycles, then resumes by itself', async () => {
    await writeNode();
    expect((await collector.cycle()).nodes).toHaveLength(0); // the original is found by SCAN
    await collector.discovery.scan();
    expect((await collector.cycle()).nodes).toHaveLength(1);

    const port = Number(new URL(server.url).port);
    await server.stop();
    for (let i = 0; i < 4; i++) await expect(collector.cycle()).rejects.toThrow();
    expect(logger.count('error')).toBe(1);
    const stats = await collector.stats();
    expect(stats.cycleFailures).toBe(4);
    // The last good picture stays served while Redis is away.
    expect(collector.state.snapshot?.nodes).toHaveLength(1);

    server = await startRedisServer({ port });
    await writeNode();
    const snapshot = await eventually(
      () => collector.cycle().catch(() => undefined),
      15_000,
      'a cycle after Redis came back',
    );
    expect(snapshot.nodes).toHaveLength(1);
    expect(logger.lines.filter((l) => l.message === 'cycles resumed')).toHaveLength(1);
    expect(logger.count('error')).toBe(1);
  });
});
