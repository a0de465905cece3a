/**
 * The consumer as the least-privilege collector user that `quasar-agent acl` prints: reading,
 * claiming (a dead replica's entries, or a service's leftovers when it is acquired), deleting
 * dead consumers and handing entries back at stop all pass its selectors.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import {
  ConsumerRig,
  GROUP,
  GatedExporter,
  addEntries,
  consumerNames,
  pendingEntries,
  slowRequest,
} from './consumer-fixture';

const AGENT_CLI = join(__dirname, '..', '..', '..', 'sdk', 'dist', 'bin', 'quasar-agent.js');

describeWithRedis('SlowLogConsumer as the collector ACL user', () => {
  const prefix = `t${randomUUID().slice(0, 8)}-`;
  const user = `${prefix}collector`;
  const password = randomUUID();
  let url: string;
  let rig: ConsumerRig;

  /** The test database's URL, authenticated as the collector user. */
  const asCollector = () => {
    const u = new URL(url);
    u.username = user;
    u.password = password;
    return new Redis(u.toString(), { maxRetriesPerRequest: 0 });
  };

  beforeAll(async () => {
    url = await claimDatabase();
    const printed = execFileSync(
      process.execPath,
      [AGENT_CLI, 'acl', '--service', 'checkout', '--user-prefix', prefix],
      { encoding: 'utf8' },
    );
    const line = printed.split('\n').find((l) => l.startsWith(`ACL SETUSER ${user} `));
    if (!line) throw new Error('no collector user printed');
    const rules = line.split(' ').slice(3);
    const admin = new Redis(url);
    try {
      await admin.call(
        'ACL',
        'SETUSER',
        user,
        ...rules.map((r) => (r === '>CHANGE-ME' ? `>${password}` : r)),
      );
    } finally {
      await admin.quit();
    }
  });

  beforeEach(async () => {
    rig = await ConsumerRig.start(url);
  });

  afterEach(async () => {
    await rig?.dispose();
  });

  afterAll(async () => {
    const admin = new Redis(url);
    await admin.call('ACL', 'DELUSER', user);
    await admin.quit();
  });

  it('deletes a dead consumer, then hands its own unexported entries back at stop', async () => {
    const key = QuasarKeys.slowLog('checkout');
    await addEntries(rig.redis, 'checkout', [slowRequest()]);
    await rig.redis.xgroup('CREATE', key, GROUP, '0');
    await rig.redis.xgroup('CREATECONSUMER', key, GROUP, 'restarted');
    await eventually(
      async () => {
        const rows = (await rig.redis.call('XINFO', 'CONSUMERS', key, GROUP)) as unknown[][];
        return Number(rows[0]![rows[0]!.indexOf('idle') + 1]) >= 100 ? true : undefined;
      },
      5000,
      'the dead consumer to be idle',
    );
    const gate = new GatedExporter(rig.exporter());
    const consumer = rig.consumer({
      services: ['checkout'],
      connection: asCollector(),
      exporter: gate,
      consumerExpiryMs: 100,
      stopTimeoutMs: 100,
    });
    consumer.start();
    await eventually(() => (gate.calls === 1 ? true : undefined), 5000, 'an export in flight');

    await consumer.stop();

    expect(rig.errors).toEqual([]);
    expect(consumer.counts).toMatchObject({ deletedConsumers: 1, handedBack: 1 });
    expect(await consumerNames(rig.redis, 'checkout')).toEqual(['collector-a']);
    const [pending] = await pendingEntries(rig.redis, 'checkout');
    expect(pending!.idleMs).toBeGreaterThanOrEqual(60_000);
  });

  it("claims a service's leftovers when it acquires the service", async () => {
    const key = QuasarKeys.slowLog('checkout');
    const [left] = await addEntries(rig.redis, 'checkout', [slowRequest()]);
    await rig.redis.xgroup('CREATE', key, GROUP, '0');
    await rig.redis.call('XREADGROUP', 'GROUP', GROUP, 'crashed', 'STREAMS', key, '>');
    const claimIdleMs = 100;
    await eventually(
      async () =>
        (await pendingEntries(rig.redis, 'checkout'))[0]!.idleMs >= claimIdleMs ? true : undefined,
      5000,
      'the dead owner’s entry to be idle',
    );
    const consumer = rig.consumer({ services: [], connection: asCollector() });
    consumer.setOwnedServices(new Set(['checkout']), ['checkout'], claimIdleMs);

    expect(await consumer.drain()).toBe(1);

    expect(rig.errors).toEqual([]);
    expect(consumer.counts.claimedOnAcquire).toBe(1);
    expect(rig.exportedKeys()).toEqual([left]);
  });

  it('leaves the group at stop when nothing is pending', async () => {
    await addEntries(rig.redis, 'checkout', [slowRequest()]);
    const consumer = rig.consumer({ services: ['checkout'], connection: asCollector() });
    expect(await consumer.drain()).toBe(1);

    await consumer.stop();

    expect(rig.errors).toEqual([]);
    expect(await consumerNames(rig.redis, 'checkout')).toEqual([]);
  });
});
