import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { openRedis } from '../../src/redis/connection';
import { startRedisServer } from '../../../testing/redis-server';
import type { RedisServer } from '../../../testing/redis-server';
import {
  ConsumerRig,
  addEntries,
  pendingCount,
  slowJob,
  slowRequest,
  streamIdOf,
} from './consumer-fixture';
import type { EntryKey } from './consumer-fixture';

const sorted = (keys: readonly EntryKey[]) => [...keys].sort();

describeWithRedis('SlowLogConsumer when the export fails', () => {
  let url: string;
  let rig: ConsumerRig;

  beforeAll(async () => {
    url = await claimDatabase();
  });

  beforeEach(async () => {
    rig = await ConsumerRig.start(url);
  });

  afterEach(async () => {
    await rig?.dispose();
  });

  it('leaves the entries pending, then exports each exactly once after the backend recovers', async () => {
    const ids = await addEntries(rig.redis, 'checkout', [
      slowRequest(),
      slowRequest({ nodeId: 'web-2' }),
      slowRequest({ durationMs: 4000 }),
    ]);
    // Shorter than the exporter's first retry back-off: one attempt per export.
    const consumer = rig.consumer({ services: ['checkout'], exporter: rig.exporter(500) });
    rig.receiver.failWith(503);

    await expect(consumer.drain()).rejects.toThrow(/export failed/);

    expect(rig.receiver.rejected.length).toBeGreaterThan(0);
    expect(rig.exportedKeys()).toEqual([]);
    expect(await pendingCount(rig.redis, 'checkout')).toBe(3);
    expect(consumer.counts).toMatchObject({ exported: 0, exportFailures: 1 });
    expect(rig.errors).toEqual([expect.stringMatching(/^slow-log export/)]);

    rig.receiver.recover();
    expect(await consumer.drain()).toBe(3);

    expect(sorted(rig.exportedKeys())).toEqual(sorted(ids));
    expect(await pendingCount(rig.redis, 'checkout')).toBe(0);
    expect(consumer.counts).toMatchObject({ exported: 3, exportFailures: 1 });
  });

  it('keeps retrying with back-off while running, and catches up once the backend is back', async () => {
    const consumer = rig.consumer({ services: ['checkout'], exporter: rig.exporter(500) });
    rig.receiver.failWith(503);
    const ids = await addEntries(rig.redis, 'checkout', [slowRequest(), slowRequest()]);
    consumer.start();

    await rig.receiver.waitFor((r) => r.rejected.length >= 2);
    expect(await pendingCount(rig.redis, 'checkout')).toBe(2);
    rig.receiver.recover();

    await rig.receiver.waitFor((r) => r.logRecords().length >= 2);
    await eventually(
      async () => ((await pendingCount(rig.redis, 'checkout')) === 0 ? true : undefined),
      5000,
      'the entries to be acknowledged',
    );
    await consumer.stop();
    expect(sorted(rig.exportedKeys())).toEqual(sorted(ids));
    expect(consumer.counts.exportFailures).toBeGreaterThanOrEqual(2);
  });

  it('acknowledges entries trimmed or deleted while pending and counts them as trimmed', async () => {
    const { redis } = rig;
    await addEntries(redis, 'checkout', [slowRequest(), slowRequest()]);
    const [deleted, kept] = await addEntries(redis, 'mailer', [slowJob(), slowJob()]);
    const consumer = rig.consumer({
      services: ['checkout', 'mailer'],
      exporter: rig.exporter(500),
    });
    rig.receiver.failWith(503);
    await expect(consumer.drain()).rejects.toThrow(/export failed/);
    expect(await pendingCount(redis, 'checkout')).toBe(2);
    expect(await pendingCount(redis, 'mailer')).toBe(2);

    await redis.xtrim(QuasarKeys.slowLog('checkout'), 'MAXLEN', 0);
    await redis.xdel(QuasarKeys.slowLog('mailer'), streamIdOf(deleted!));
    rig.receiver.recover();

    expect(await consumer.drain()).toBe(1);
    expect(rig.exportedKeys()).toEqual([kept]);
    expect(consumer.counts).toMatchObject({ exported: 1, trimmed: 3 });
    expect(await pendingCount(redis, 'checkout')).toBe(0);
    expect(await pendingCount(redis, 'mailer')).toBe(0);
  });
});

describeWithRedis('SlowLogConsumer across a Redis restart', () => {
  let server: RedisServer | undefined;
  let rig: ConsumerRig | undefined;

  afterEach(async () => {
    await rig?.dispose();
    await server?.stop();
  });

  it('creates its group again when Redis comes back without the stream, and keeps exporting', async () => {
    server = await startRedisServer();
    rig = await ConsumerRig.start(server.url);
    const consumer = rig.consumer({ services: ['checkout'] });
    consumer.start();
    const [before] = await addEntries(rig.redis, 'checkout', [slowRequest()]);
    await rig.receiver.waitFor((r) => r.logRecords().length === 1);

    await server.stop();
    server = await startRedisServer({ port: server.port });
    const probe = new Redis(server.url);
    try {
      expect(await probe.exists(QuasarKeys.slowLog('checkout'))).toBe(0);
    } finally {
      await probe.quit();
    }
    const [after] = await addEntries(rig.redis, 'checkout', [slowRequest()]);

    await rig.receiver.waitFor((r) => r.logRecords().length === 2, 15_000);
    expect(rig.exportedKeys()).toEqual([before, after]);
    await eventually(
      async () => ((await pendingCount(rig!.redis, 'checkout')) === 0 ? true : undefined),
      5000,
      'the entry to be acknowledged',
    );
  });

  it('reads again moments after Redis returns from a long outage, however far its back-off grew', async () => {
    server = await startRedisServer();
    rig = await ConsumerRig.start(server.url);
    // The collector's own connection settings: reconnecting with back-off, failing commands fast.
    const connection = openRedis(server.url, 'slowlog') as Redis;
    connection.on('error', () => undefined);
    const consumer = rig.consumer({ services: ['checkout'], connection });
    consumer.start();
    await addEntries(rig.redis, 'checkout', [slowRequest()]);
    await rig.receiver.waitFor((r) => r.logRecords().length === 1);

    await server.stop();
    // Five failed reads: the back-off has doubled to 8 s, and would reach its 30 s cap.
    const readFailures = () => rig!.errors.filter((e) => e.startsWith('slow-log read')).length;
    await eventually(() => (readFailures() >= 5 ? true : undefined), 60_000, 'five failed reads');
    server = await startRedisServer({ port: server.port });
    const [after] = await addEntries(rig.redis, 'checkout', [slowRequest()]);

    // A consumer still sleeping out its back-off (8 s, then 16 s after the NOGROUP of the empty
    // Redis) would miss this; one woken by the reconnect reads within a reconnect delay (≤ 5 s).
    await rig.receiver.waitFor((r) => r.logRecords().length === 2, 12_000);
    expect(rig.exportedKeys().at(-1)).toBe(after);
  }, 120_000);
});
