import Redis from 'ioredis';
import { QuasarKeys, slowEntryToFields } from '@gravito/quasar/schema';
import { NodeDiscovery } from '../../src/discovery/node-discovery';
import { readNodes } from '../../src/nodes/read-nodes';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';

const SCAN_INTERVAL_MS = 60_000;

/** A clock the test moves by hand, so the scan schedule needs no waiting. */
class ManualClock {
  nowMs = 1_000_000;
  readonly now = () => this.nowMs;
}

describeWithRedis('NodeDiscovery', () => {
  let redis: Redis;
  let clock: ManualClock;
  let discovery: NodeDiscovery;
  const indexed = QuasarKeys.node('billing', 'api-1');
  const goAgent = QuasarKeys.node('my-laravel-app', 'app-server-01-3121');
  const bunAgent = QuasarKeys.node('worker-orders', 'worker-01-48213');

  beforeAll(async () => {
    redis = new Redis(await claimDatabase());
  });

  afterAll(async () => {
    await redis?.quit();
  });

  beforeEach(async () => {
    await redis.flushdb();
    clock = new ManualClock();
    discovery = new NodeDiscovery(redis, SCAN_INTERVAL_MS, clock.now);
  });

  /** A current agent: the key plus its index entry. */
  async function registerIndexed(key: string): Promise<void> {
    await redis.set(key, '{}', 'EX', 30);
    await redis.zadd(QuasarKeys.nodeIndex, Date.now(), key);
  }

  /** An original agent: the key only, never the index. */
  async function writeOriginal(key: string): Promise<void> {
    await redis.set(key, '{}', 'EX', 30);
  }

  it('finds the members of the node index without scanning', async () => {
    await registerIndexed(indexed);
    expect(await discovery.keys()).toEqual([indexed]);
  });

  it('finds original agents, which never write the index, only after a scan', async () => {
    await registerIndexed(indexed);
    await writeOriginal(goAgent);
    await writeOriginal(bunAgent);
    expect(await discovery.keys()).toEqual([indexed]);
    await discovery.scan();
    expect((await discovery.keys()).sort()).toEqual([indexed, goAgent, bunAgent].sort());
  });

  it('lists a key found by both the index and a scan once', async () => {
    await registerIndexed(indexed);
    await discovery.scan();
    expect(await discovery.keys()).toEqual([indexed]);
  });

  it('does not scan again before scanIntervalMs', async () => {
    expect(discovery.maybeScan()).toBeDefined();
    await discovery.idle();
    await writeOriginal(goAgent);

    clock.nowMs += SCAN_INTERVAL_MS - 1;
    expect(discovery.maybeScan()).toBeUndefined();
    expect(await discovery.keys()).toEqual([]);

    clock.nowMs += 1;
    const scan = discovery.maybeScan();
    expect(scan).toBeDefined();
    await scan;
    expect(await discovery.keys()).toEqual([goAgent]);
  });

  it('runs one scan at a time, starting none while one runs', async () => {
    const first = discovery.maybeScan();
    expect(first).toBeDefined();
    clock.nowMs += SCAN_INTERVAL_MS * 2;
    expect(discovery.maybeScan()).toBeUndefined();
    await first;
  });

  it('prunes index members whose key expired', async () => {
    await registerIndexed(indexed);
    await redis.pexpire(indexed, 1);
    await eventually(
      async () => ((await redis.exists(indexed)) === 0 ? true : undefined),
      10_000,
      'the key to expire',
    );
    const raws = await readNodes(redis, await discovery.keys(), 256 * 1024);
    const missing = raws.filter((r) => r.value === null).map((r) => r.key);
    expect(missing).toEqual([indexed]);
    expect(await discovery.prune(missing)).toBe(1);
    expect(await redis.zrange(QuasarKeys.nodeIndex, 0, -1)).toEqual([]);
    expect(await discovery.keys()).toEqual([]);
  });

  it('forgets a scanned key once it is pruned', async () => {
    await writeOriginal(goAgent);
    await discovery.scan();
    await redis.del(goAgent);
    await discovery.prune([goAgent]);
    expect(await discovery.keys()).toEqual([]);
  });

  it('prunes nothing when nothing is missing', async () => {
    await registerIndexed(indexed);
    expect(await discovery.prune([])).toBe(0);
    expect(await redis.zcard(QuasarKeys.nodeIndex)).toBe(1);
  });

  it('finds the slow-log streams of services in the same walk', async () => {
    const entry = slowEntryToFields({
      kind: 'request',
      name: 'GET /orders/:id',
      durationMs: 2300,
      thresholdMs: 1000,
      nodeId: 'gone-1',
      timestamp: Date.now(),
    });
    await redis.xadd(QuasarKeys.slowLog('checkout'), '*', ...entry);
    await redis.xadd(QuasarKeys.slowLog('search'), '*', ...entry);
    await discovery.scan();
    expect([...discovery.slowLogServices].sort()).toEqual(['checkout', 'search']);
    expect(await discovery.keys()).toEqual([]);
  });

  it('ignores keys that are not heartbeats', async () => {
    await redis.set('session:abc', 'x');
    await redis.set(`cache:${goAgent}`, 'x');
    await redis.hset(QuasarKeys.queues('billing'), 'emails', '{}');
    await redis.set(QuasarKeys.node('no-node-id', ''), '{}');
    await redis.set(QuasarKeys.commandResult('c-1'), '{}');
    await writeOriginal(bunAgent);
    await discovery.scan();
    expect(await discovery.keys()).toEqual([bunAgent]);
    expect(discovery.slowLogServices.size).toBe(0);
  });

  it('walks a keyspace larger than one SCAN step', async () => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < 12_000; i++) pipeline.set(`unrelated:${i}`, '1');
    const originals = Array.from({ length: 50 }, (_, i) => QuasarKeys.node('fleet', `n-${i}`));
    for (const key of originals) pipeline.set(key, '{}', 'EX', 30);
    await pipeline.exec();
    await discovery.scan();
    expect((await discovery.keys()).sort()).toEqual([...originals].sort());
  });

  describe('with replicas', () => {
    const slowEntry = slowEntryToFields({
      kind: 'request',
      name: 'GET /orders/:id',
      durationMs: 2300,
      thresholdMs: 1000,
      nodeId: 'n-1',
      timestamp: Date.now(),
    });

    it('adds the original agents its SCAN found to the node index, keeping agents’ own scores', async () => {
      await redis.zadd(QuasarKeys.nodeIndex, 42, indexed);
      await redis.set(indexed, '{}', 'EX', 30);
      await writeOriginal(goAgent);
      await discovery.scan();
      expect(await redis.zscore(QuasarKeys.nodeIndex, indexed)).toBe('42');
      const [seconds] = await redis.time();
      const score = Number(await redis.zscore(QuasarKeys.nodeIndex, goAgent));
      expect(Math.abs(score - Number(seconds) * 1000)).toBeLessThan(5_000);
      // Another replica, which never scans, reads the original agent from the index.
      const follower = new NodeDiscovery(
        redis,
        SCAN_INTERVAL_MS,
        clock.now,
        undefined,
        () => false,
      );
      expect((await follower.keys()).sort()).toEqual([indexed, goAgent].sort());
    });

    it('keeps the stream index to the services whose stream the last SCAN found', async () => {
      await redis.xadd(QuasarKeys.slowLog('checkout'), '*', ...slowEntry);
      await redis.xadd(QuasarKeys.slowLog('search'), '*', ...slowEntry);
      await discovery.scan();
      expect((await redis.zrange(QuasarKeys.streamIndex, 0, -1)).sort()).toEqual([
        'checkout',
        'search',
      ]);
      await redis.del(QuasarKeys.slowLog('search'));
      await discovery.scan();
      expect(await redis.zrange(QuasarKeys.streamIndex, 0, -1)).toEqual(['checkout']);
    });

    it('without the chores: reads the stream index instead of walking the keyspace', async () => {
      await writeOriginal(goAgent);
      await redis.zadd(QuasarKeys.streamIndex, 1, 'checkout', 2, 'not a service name');
      const scans = jest.spyOn(redis, 'scan');
      try {
        const follower = new NodeDiscovery(
          redis,
          SCAN_INTERVAL_MS,
          clock.now,
          undefined,
          () => false,
        );
        await follower.maybeScan();
        expect(scans).not.toHaveBeenCalled();
        expect([...follower.slowLogServices]).toEqual(['checkout']);
        // It found nothing itself: the original agent waits for the chores' owner.
        expect(await follower.keys()).toEqual([]);
        // And on the same schedule as a SCAN.
        expect(follower.maybeScan()).toBeUndefined();
      } finally {
        scans.mockRestore();
      }
    });

    it('as the chores’ owner: removes invalid members and gone keys at tidy, after the lease step', async () => {
      const reported: string[][] = [];
      let owner = false;
      const d = new NodeDiscovery(
        redis,
        SCAN_INTERVAL_MS,
        clock.now,
        (members) => reported.push([...members]),
        () => owner,
      );
      await registerIndexed(indexed);
      await redis.zadd(QuasarKeys.nodeIndex, 1, 'app:session:42', 2, goAgent);
      expect((await d.keys()).sort()).toEqual([indexed, goAgent].sort());
      // The lease step made this replica the owner between the read and the chores.
      owner = true;
      await d.tidy([goAgent]);
      expect(reported).toEqual([['app:session:42']]);
      expect(await redis.zrange(QuasarKeys.nodeIndex, 0, -1)).toEqual([indexed]);
    });

    it('without the chores: neither prunes the index nor removes invalid members', async () => {
      const reported: string[][] = [];
      const follower = new NodeDiscovery(
        redis,
        SCAN_INTERVAL_MS,
        clock.now,
        (members) => reported.push([...members]),
        () => false,
      );
      await registerIndexed(indexed);
      await redis.zadd(QuasarKeys.nodeIndex, 1, 'app:session:42');
      expect(await follower.keys()).toEqual([indexed]);
      await follower.tidy([indexed]);
      expect(reported).toEqual([]);
      expect(await follower.prune([indexed])).toBe(0);
      expect((await redis.zrange(QuasarKeys.nodeIndex, 0, -1)).sort()).toEqual(
        ['app:session:42', indexed].sort(),
      );
    });
  });
});
