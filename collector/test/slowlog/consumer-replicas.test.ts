import { QuasarKeys } from '@gravito/quasar/schema';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import {
  ConsumerRig,
  GROUP,
  addEntries,
  pendingCount,
  pendingEntries,
  slowRequest,
} from './consumer-fixture';
import type { EntryKey } from './consumer-fixture';

const sorted = (keys: readonly EntryKey[]) => [...keys].sort();

describeWithRedis('SlowLogConsumer replicas', () => {
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

  it('claims the entries a crashed replica left pending once they are idle for reclaimIdleMs', async () => {
    const key = QuasarKeys.slowLog('checkout');
    const ids = await addEntries(rig.redis, 'checkout', [
      slowRequest(),
      slowRequest(),
      slowRequest(),
    ]);
    // The crashed replica: it read the entries, then died before exporting them.
    await rig.redis.xgroup('CREATE', key, GROUP, '0');
    await rig.redis.call('XREADGROUP', 'GROUP', GROUP, 'crashed', 'STREAMS', key, '>');
    const reclaimIdleMs = 1000;
    const survivor = rig.consumer({
      services: ['checkout'],
      consumer: 'survivor',
      reclaimIdleMs,
    });

    expect(await survivor.drain()).toBe(0);
    expect((await pendingEntries(rig.redis, 'checkout')).map((e) => e.consumer)).toEqual([
      'crashed',
      'crashed',
      'crashed',
    ]);

    await eventually(
      async () => {
        const pending = await pendingEntries(rig.redis, 'checkout');
        return pending.every((e) => e.idleMs >= reclaimIdleMs) ? true : undefined;
      },
      5000,
      'the crashed replica’s entries to be idle',
    );
    expect(await survivor.drain()).toBe(3);

    expect(sorted(rig.exportedKeys())).toEqual(sorted(ids));
    expect(survivor.counts.reclaimed).toBe(3);
    expect(await pendingCount(rig.redis, 'checkout')).toBe(0);
  });

  it('splits the entries between replicas of one group: each exported once, none missing', async () => {
    const services = ['checkout', 'search'];
    const written: EntryKey[] = [];
    const write = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const service = services[i % 2]!;
        written.push(...(await addEntries(rig.redis, service, [slowRequest({ nodeId: `w${i}` })])));
      }
    };
    await write(20);
    const a = rig.consumer({ services, consumer: 'collector-a', batchSize: 5 });
    const b = rig.consumer({ services, consumer: 'collector-b', batchSize: 5 });
    a.start();
    b.start();
    await write(20);

    await rig.receiver.waitFor((r) => r.logRecords().length >= written.length);
    await Promise.all([a.stop(), b.stop()]);

    expect(sorted(rig.exportedKeys())).toEqual(sorted(written));
    expect(a.counts.exported + b.counts.exported).toBe(written.length);
    expect(a.counts.exported).toBeGreaterThan(0);
    expect(b.counts.exported).toBeGreaterThan(0);
    for (const service of services) expect(await pendingCount(rig.redis, service)).toBe(0);
  });
});
