/**
 * Replicas that share the services out: each reads only the streams of the services it owns and
 * is the one writer of their duration series; a service it gives up is no longer read, and one
 * it acquires first has what its previous owner left pending claimed and exported.
 */
import { QuasarKeys } from '@gravito/quasar/schema';
import { DurationHistograms } from '../../src/slowlog/duration-histograms';
import { SlowGroups } from '../../src/slowlog/groups/slow-groups';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import {
  ConsumerRig,
  GROUP,
  GatedExporter,
  addEntries,
  consumerNames,
  pendingCount,
  pendingEntries,
  slowJob,
  slowRequest,
} from './consumer-fixture';
import type { EntryKey } from './consumer-fixture';

const sorted = (keys: readonly EntryKey[]) => [...keys].sort();
const SERVICES = Array.from({ length: 10 }, (_, i) => `svc-${i}`);

/** The services a consumer's histograms hold series of, sorted. */
const servicesOf = (histograms: DurationHistograms) =>
  [
    ...new Set(histograms.resources(Date.now()).map((b) => String(b.attributes['service.name']))),
  ].sort();

describeWithRedis('SlowLogConsumer ownership', () => {
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

  it('reads only the streams it owns: two replicas over ten services, each the one writer of its own', async () => {
    const written = new Map<string, EntryKey[]>();
    const write = async () => {
      for (const service of SERVICES) {
        const keys = await addEntries(rig.redis, service, [
          slowRequest({ nodeId: 'web-1' }),
          slowJob({ nodeId: 'worker-1' }),
        ]);
        written.set(service, [...(written.get(service) ?? []), ...keys]);
      }
    };
    await write();
    const owned = { a: new Set(SERVICES.slice(0, 5)), b: new Set(SERVICES.slice(5)) };
    const histograms = { a: new DurationHistograms(), b: new DurationHistograms() };
    const a = rig.consumer({ services: [], consumer: 'collector-a', histograms: histograms.a });
    const b = rig.consumer({ services: [], consumer: 'collector-b', histograms: histograms.b });
    a.setOwnedServices(owned.a, [...owned.a], 1000);
    b.setOwnedServices(owned.b, [...owned.b], 1000);
    a.start();
    b.start();
    await write();

    const all = [...written.values()].flat();
    await rig.receiver.waitFor((r) => r.logRecords().length >= all.length);

    await eventually(() =>
      a.counts.exported + b.counts.exported === all.length ? true : undefined,
    );
    expect(sorted(rig.exportedKeys())).toEqual(sorted(all));
    for (const service of SERVICES) {
      const owner = owned.a.has(service) ? 'collector-a' : 'collector-b';
      expect(await consumerNames(rig.redis, service)).toEqual([owner]);
    }
    expect(a.counts.exported).toBe(20);
    expect(b.counts.exported).toBe(20);
    expect(servicesOf(histograms.a)).toEqual([...owned.a]);
    expect(servicesOf(histograms.b)).toEqual([...owned.b]);
    expect(histograms.a.total + histograms.b.total).toBe(all.length);
    expect(a.counts.claimedOnAcquire + b.counts.claimedOnAcquire).toBe(0);
  });

  it('stops reading a service it gave up, yet exports and acknowledges what it had read of it', async () => {
    const histograms = new DurationHistograms();
    const gate = new GatedExporter(rig.exporter());
    const a = rig.consumer({ services: [], exporter: gate, histograms, batchSize: 5 });
    a.setOwnedServices(new Set(['checkout', 'search']), [], 1000);
    const read = [
      ...(await addEntries(rig.redis, 'checkout', [slowRequest(), slowRequest()])),
      ...(await addEntries(rig.redis, 'search', [slowJob()])),
    ];
    a.start();
    await eventually(() => (gate.calls === 1 ? true : undefined), 5000, 'an export in flight');

    a.setOwnedServices(new Set(['search']), [], 1000);
    gate.open();
    await rig.receiver.waitFor((r) => r.logRecords().length === 3);
    await eventually(
      async () => ((await pendingCount(rig.redis, 'checkout')) === 0 ? true : undefined),
      5000,
      'the entries of checkout to be acknowledged',
    );
    // A read that was already blocking when checkout was given up ends with this one.
    const [probe] = await addEntries(rig.redis, 'search', [slowJob()]);
    await rig.receiver.waitFor((r) => r.logRecords().length === 4);
    // Written before the search entry: a consumer still reading checkout reads it first.
    const [unread] = await addEntries(rig.redis, 'checkout', [slowRequest()]);
    const [later] = await addEntries(rig.redis, 'search', [slowJob()]);
    await rig.receiver.waitFor((r) => r.logRecords().length === 5);
    await eventually(() => (a.counts.exported === 5 ? true : undefined));

    expect(sorted(rig.exportedKeys())).toEqual(sorted([...read, probe!, later!]));
    expect(rig.exportedKeys()).not.toContain(unread);
    // Checkout's entries, exported after it was given up, are its new owner's to count.
    expect(servicesOf(histograms)).toEqual(['search']);
    expect(histograms.total).toBe(3);
  });

  it('forgets the series of a service it gives up, and starts them afresh if it owns it again', async () => {
    const histograms = new DurationHistograms();
    const a = rig.consumer({ services: [], histograms });
    a.setOwnedServices(new Set(['checkout']), ['checkout'], 1000);
    await addEntries(rig.redis, 'checkout', [slowRequest(), slowRequest(), slowRequest()]);
    expect(await a.drain()).toBe(3);
    expect(histograms.total).toBe(3);

    a.setOwnedServices(new Set(), [], 1000);
    expect(histograms.resources(Date.now())).toEqual([]);

    const regainedAt = Date.now();
    a.setOwnedServices(new Set(['checkout']), ['checkout'], 1000);
    await addEntries(rig.redis, 'checkout', [slowRequest()]);
    expect(await a.drain()).toBe(1);

    const [block] = histograms.resources(Date.now());
    const point = block!.metrics[0]!.points[0] as { count: number; startTimeMs: number };
    expect(point.count).toBe(1);
    expect(point.startTimeMs).toBeGreaterThanOrEqual(regainedAt);
  });

  it('groups only the entries of the services it owns, and forgets the groups of one it gives up', async () => {
    const groups = { a: new SlowGroups(), b: new SlowGroups() };
    const a = rig.consumer({ services: [], consumer: 'collector-a', groups: groups.a });
    const b = rig.consumer({
      services: [],
      consumer: 'collector-b',
      groups: groups.b,
      histograms: new DurationHistograms(),
    });
    a.setOwnedServices(new Set(['checkout']), ['checkout'], 1000);
    b.setOwnedServices(new Set(['search']), ['search'], 1000);
    await addEntries(rig.redis, 'checkout', [slowRequest(), slowRequest({ durationMs: 2500 })]);
    await addEntries(rig.redis, 'search', [slowJob()]);
    expect(await a.drain()).toBe(2);
    expect(await b.drain()).toBe(1);

    expect(groups.a.services()).toEqual(['checkout']);
    expect(groups.b.services()).toEqual(['search']);
    expect(groups.a.list({ limit: 10 }, Date.now()).groups[0]).toMatchObject({
      count: 2,
      maxMs: 2500,
    });

    // checkout moves to b: a forgets its groups, b starts them from what it reads from now on.
    a.setOwnedServices(new Set(), [], 1000);
    b.setOwnedServices(new Set(['search', 'checkout']), ['checkout'], 1000);
    await addEntries(rig.redis, 'checkout', [slowRequest({ durationMs: 1100 })]);
    expect(await b.drain()).toBe(1);
    expect(groups.a.size).toBe(0);
    expect(
      groups.b.entries({ service: 'checkout', kind: 'request', name: 'GET /orders/:id' })?.group,
    ).toMatchObject({ count: 1, maxMs: 1100 });
  });

  it('refuses a claim idle time Redis would refuse, naming it', () => {
    const a = rig.consumer({ services: [] });
    for (const claimIdleMs of [-1, 0.5, Number.NaN, Infinity]) {
      expect(() => a.setOwnedServices(new Set(['checkout']), ['checkout'], claimIdleMs)).toThrow(
        /^claimIdleMs must be/,
      );
    }
  });

  describe('acquiring a service', () => {
    const key = QuasarKeys.slowLog('checkout');

    /** A replica that read every entry of checkout and died before exporting any. */
    async function crashedReplica(name: string): Promise<void> {
      await rig.redis.xgroup('CREATE', key, GROUP, '0', 'MKSTREAM').catch(() => undefined);
      await rig.redis.call('XREADGROUP', 'GROUP', GROUP, name, 'STREAMS', key, '>');
    }

    it('claims what a dead owner left pending once idle for claimIdleMs, and exports it before new entries', async () => {
      const left = await addEntries(rig.redis, 'checkout', [slowRequest(), slowRequest()]);
      await crashedReplica('crashed');
      const crashedAt = Date.now();
      const fresh = await addEntries(rig.redis, 'checkout', [slowJob(), slowJob(), slowJob()]);
      const claimIdleMs = 500;
      const b = rig.consumer({ services: [], consumer: 'collector-b', reclaimIdleMs: 60_000 });
      b.setOwnedServices(new Set(['checkout']), ['checkout'], claimIdleMs);
      b.start();

      await rig.receiver.waitFor((r) => r.logRecords().length > 0);
      // Nothing was read before the dead owner's entries could be claimed.
      expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(claimIdleMs);
      await rig.receiver.waitFor((r) => r.logRecords().length >= 5);
      await eventually(() => (b.counts.exported === 5 ? true : undefined));

      expect(rig.exportedKeys()).toEqual([...left, ...fresh]);
      expect(b.counts).toMatchObject({ claimedOnAcquire: 2, reclaimed: 0 });
      await eventually(
        async () => ((await pendingCount(rig.redis, 'checkout')) === 0 ? true : undefined),
        5000,
        'every entry to be acknowledged',
      );
    });

    it('takes over from an owner stuck mid-export: its batch in flight and the one read ahead arrive', async () => {
      const stuck = new GatedExporter(rig.exporter());
      const a = rig.consumer({
        services: [],
        consumer: 'collector-a',
        exporter: stuck,
        batchSize: 5,
        stopTimeoutMs: 100,
      });
      a.setOwnedServices(new Set(['checkout']), ['checkout'], 500);
      const read = await addEntries(
        rig.redis,
        'checkout',
        Array.from({ length: 12 }, (_, i) => slowRequest({ durationMs: 1000 + i })),
      );
      a.start();
      await eventually(
        async () => ((await pendingCount(rig.redis, 'checkout')) === 12 ? true : undefined),
        5000,
        'the stuck owner to hold every entry',
      );

      // The stuck owner is never heard of again; its lease went to b.
      const b = rig.consumer({ services: [], consumer: 'collector-b', batchSize: 5 });
      b.setOwnedServices(new Set(['checkout']), ['checkout'], 500);
      b.start();
      const more = await addEntries(rig.redis, 'checkout', [slowJob(), slowJob(), slowJob()]);

      await rig.receiver.waitFor((r) => r.logRecords().length >= 15);
      expect(sorted(rig.exportedKeys())).toEqual(sorted([...read, ...more]));
      expect(rig.exportedKeys().slice(0, 12)).toEqual(read);
      expect(b.counts.claimedOnAcquire).toBe(12);
      expect(stuck.calls).toBeGreaterThan(0);
    });

    it('waits for a live previous owner to acknowledge what it read, and exports nothing twice', async () => {
      const gate = new GatedExporter(rig.exporter());
      const a = rig.consumer({ services: [], consumer: 'collector-a', exporter: gate });
      a.setOwnedServices(new Set(['checkout']), [], 1000);
      const first = await addEntries(rig.redis, 'checkout', [slowRequest(), slowRequest()]);
      a.start();
      await eventually(() => (gate.calls === 1 ? true : undefined), 5000, 'an export in flight');

      // The lease moves: a gives the service up while its export is still in flight.
      a.setOwnedServices(new Set(), [], 1000);
      const b = rig.consumer({ services: [], consumer: 'collector-b' });
      b.setOwnedServices(new Set(['checkout']), ['checkout'], 30_000);
      b.start();
      // a's read still blocking when it gave the service up may take some of these: its own.
      const second = await addEntries(rig.redis, 'checkout', [slowJob(), slowJob()]);
      // Several of b's steps (blockMs 200) go by while a's entries are held.
      await eventually(
        async () => {
          const pending = await pendingEntries(rig.redis, 'checkout');
          const held = pending.every((e) => e.consumer === 'collector-a' && e.idleMs >= 1000);
          return pending.length >= 2 && held ? true : undefined;
        },
        5000,
        "a's entries to be held for a second",
      );
      expect(rig.exportedKeys()).toEqual([]);

      gate.open();
      await rig.receiver.waitFor((r) => r.logRecords().length >= 4);
      await eventually(() => (a.counts.exported + b.counts.exported === 4 ? true : undefined));

      expect(sorted(rig.exportedKeys())).toEqual(sorted([...first, ...second]));
      expect(a.counts.exported).toBeGreaterThanOrEqual(2);
      expect(b.counts.claimedOnAcquire).toBe(0);
    });

    it('sets aside a stream that stops being one while it is acquired, and reads the others', async () => {
      await addEntries(rig.redis, 'checkout', [slowRequest()]);
      await crashedReplica('crashed');
      const b = rig.consumer({ services: [], consumer: 'collector-b' });
      // The dead owner's entry will not be idle for this long: the acquisition stays open.
      b.setOwnedServices(new Set(['checkout', 'search']), ['checkout', 'search'], 60_000);
      b.start();
      const [first] = await addEntries(rig.redis, 'search', [slowJob()]);
      await rig.receiver.waitFor((r) => r.logRecords().length === 1);

      // One SET replaces the stream atomically: a DEL first would let a read in between see no
      // key at all (NOGROUP) instead of a key that is not a stream.
      await rig.redis.set(key, 'not a stream');
      await eventually(
        () => (b.counts.streamErrors > 0 ? true : undefined),
        5000,
        'a stream error',
      );
      const [second] = await addEntries(rig.redis, 'search', [slowJob()]);
      await rig.receiver.waitFor((r) => r.logRecords().length === 2);

      expect(rig.exportedKeys()).toEqual([first, second]);
      expect(rig.errors[0]).toMatch(/^slow-log stream gravito:quasar:slow:checkout: .*WRONGTYPE/);
    });

    it('in a drain, claims what is idle now and reads on, leaving a live consumer its entries', async () => {
      const left = await addEntries(rig.redis, 'checkout', [slowRequest(), slowRequest()]);
      await crashedReplica('crashed');
      const claimIdleMs = 300;
      await eventually(
        async () => {
          const pending = await pendingEntries(rig.redis, 'checkout');
          return pending.every((e) => e.idleMs >= claimIdleMs) ? true : undefined;
        },
        5000,
        'the dead replica’s entries to be idle',
      );
      const [held] = await addEntries(rig.redis, 'checkout', [slowRequest()]);
      await crashedReplica('busy');
      const fresh = await addEntries(rig.redis, 'checkout', [slowJob(), slowJob()]);
      const b = rig.consumer({ services: [], consumer: 'collector-b' });
      b.setOwnedServices(new Set(['checkout']), ['checkout'], claimIdleMs);

      expect(await b.drain()).toBe(4);

      expect(rig.exportedKeys()).toEqual([...left, ...fresh]);
      expect(rig.exportedKeys()).not.toContain(held);
      expect(b.counts.claimedOnAcquire).toBe(2);
      expect((await pendingEntries(rig.redis, 'checkout')).map((e) => e.consumer)).toEqual([
        'busy',
      ]);
    });
  });
});
