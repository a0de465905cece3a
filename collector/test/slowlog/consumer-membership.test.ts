/**
 * The consumer's place in its group over restarts: what it read but did not export when it
 * stops, its own name once it is gone, and the names of replicas that died long ago.
 */
import { QuasarKeys } from '@gravito/quasar/schema';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import {
  ConsumerRig,
  GROUP,
  GatedExporter,
  addEntries,
  consumerNames,
  pendingCount,
  pendingEntries,
  slowRequest,
} from './consumer-fixture';
import type { EntryKey } from './consumer-fixture';

const sorted = (keys: readonly EntryKey[]) => [...keys].sort();

describeWithRedis('SlowLogConsumer membership', () => {
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

  describe('stop()', () => {
    it('exports and acknowledges the batch it read ahead, leaving nothing pending', async () => {
      const gate = new GatedExporter(rig.exporter());
      const ids = await addEntries(
        rig.redis,
        'checkout',
        Array.from({ length: 7 }, () => slowRequest()),
      );
      const consumer = rig.consumer({ services: ['checkout'], exporter: gate, batchSize: 2 });
      consumer.start();
      // Two batches in flight, a third read ahead and pending under this consumer.
      await eventually(() => (gate.calls === 2 ? true : undefined), 5000, 'two exports');
      await eventually(
        async () => ((await pendingCount(rig.redis, 'checkout')) === 6 ? true : undefined),
        5000,
        'the third batch to be read ahead',
      );

      const stopping = consumer.stop();
      gate.open();
      await stopping;

      expect(sorted(rig.exportedKeys())).toEqual(sorted(ids.slice(0, 6)));
      expect(await pendingCount(rig.redis, 'checkout')).toBe(0);
      expect(await consumerNames(rig.redis, 'checkout')).toEqual([]);
    });

    it('hands back what it could not export by its deadline, for another replica to claim at once', async () => {
      const reclaimIdleMs = 60_000;
      const gate = new GatedExporter(rig.exporter());
      const ids = await addEntries(rig.redis, 'checkout', [slowRequest(), slowRequest()]);
      const stuck = rig.consumer({
        services: ['checkout'],
        exporter: gate,
        reclaimIdleMs,
        stopTimeoutMs: 200,
      });
      stuck.start();
      await eventually(() => (gate.calls === 1 ? true : undefined), 5000, 'an export in flight');

      await stuck.stop();

      expect(stuck.counts.handedBack).toBe(2);
      const pending = await pendingEntries(rig.redis, 'checkout');
      expect(pending.map((e) => e.consumer)).toEqual(['collector-a', 'collector-a']);
      for (const { idleMs } of pending) expect(idleMs).toBeGreaterThanOrEqual(reclaimIdleMs);

      const survivor = rig.consumer({
        services: ['checkout'],
        consumer: 'collector-b',
        reclaimIdleMs,
      });
      expect(await survivor.drain()).toBe(2);
      expect(survivor.counts.reclaimed).toBe(2);
      expect(sorted(rig.exportedKeys())).toEqual(sorted(ids));
      expect(await pendingCount(rig.redis, 'checkout')).toBe(0);
    });

    it('leaves the group after a drain with nothing pending, as `--once` does', async () => {
      await addEntries(rig.redis, 'checkout', [slowRequest()]);
      const consumer = rig.consumer({ services: ['checkout'] });
      expect(await consumer.drain()).toBe(1);
      expect(await consumerNames(rig.redis, 'checkout')).toEqual(['collector-a']);

      await consumer.stop();

      expect(await consumerNames(rig.redis, 'checkout')).toEqual([]);
    });
  });

  describe('clean-up of dead consumers', () => {
    const key = QuasarKeys.slowLog('checkout');

    /** A replica that joined the group, read `count` entries, and died without acknowledging. */
    async function deadReplica(name: string, count: number): Promise<void> {
      await rig.redis.xgroup('CREATECONSUMER', key, GROUP, name);
      if (count > 0) {
        await rig.redis.call(
          'XREADGROUP',
          'GROUP',
          GROUP,
          name,
          'COUNT',
          count,
          'STREAMS',
          key,
          '>',
        );
      }
    }

    it('deletes consumers idle past the expiry with nothing pending, and keeps one with pending entries', async () => {
      await addEntries(rig.redis, 'checkout', [slowRequest(), slowRequest()]);
      await rig.redis.xgroup('CREATE', key, GROUP, '0');
      await deadReplica('restarted-1', 0);
      await deadReplica('restarted-2', 0);
      await deadReplica('crashed', 1);
      const consumerExpiryMs = 300;
      await eventually(
        async () => {
          const rows = (await rig.redis.call('XINFO', 'CONSUMERS', key, GROUP)) as unknown[][];
          const idle = rows.map((row) => Number(row[row.indexOf('idle') + 1]));
          return idle.every((ms) => ms >= consumerExpiryMs) ? true : undefined;
        },
        5000,
        'the dead replicas to be idle',
      );

      const consumer = rig.consumer({ services: ['checkout'], consumerExpiryMs });
      expect(await consumer.drain()).toBe(1);

      expect(await consumerNames(rig.redis, 'checkout')).toEqual(['collector-a', 'crashed']);
      expect(consumer.counts.deletedConsumers).toBe(2);
      expect((await pendingEntries(rig.redis, 'checkout')).map((e) => e.consumer)).toEqual([
        'crashed',
      ]);
    });

    it('keeps consumers that were active within the expiry', async () => {
      await addEntries(rig.redis, 'checkout', [slowRequest()]);
      await rig.redis.xgroup('CREATE', key, GROUP, '0');
      await deadReplica('replica-b', 0);

      const consumer = rig.consumer({ services: ['checkout'], consumerExpiryMs: 3_600_000 });
      expect(await consumer.drain()).toBe(1);

      expect(await consumerNames(rig.redis, 'checkout')).toEqual(['collector-a', 'replica-b']);
      expect(consumer.counts.deletedConsumers).toBe(0);
    });
  });
});
