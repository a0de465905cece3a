/** Replicas sharing services on a real Redis: assignment, exclusivity, handover, `--once`. */
import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import { Assignment } from '../../src/replicas/assignment';
import { ReplicaCoordinator } from '../../src/replicas/replica-coordinator';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';

const TTL_MS = 3_000;
const SERVICES = Array.from({ length: 40 }, (_, i) => `svc-${i}`);

describeWithRedis('ReplicaCoordinator', () => {
  let url: string;
  let redis: Redis;
  const running: Array<{ coordinator: ReplicaCoordinator; client: Redis }> = [];

  beforeAll(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });

  afterAll(async () => {
    await redis?.quit();
  });

  beforeEach(async () => {
    await redis.flushdb();
  });

  afterEach(async () => {
    for (const { coordinator, client } of running.splice(0)) {
      await coordinator.stop();
      await client.quit();
    }
  });

  async function replica(id: string, join = true): Promise<ReplicaCoordinator> {
    // Without start() a replica has not joined: `--once`.
    const client = new Redis(url);
    const coordinator = new ReplicaCoordinator(client, {
      replicaId: id,
      leaseTtlMs: TTL_MS,
      onError: (error, what) => {
        throw new Error(`${what}: ${String(error)}`);
      },
    });
    running.push({ coordinator, client });
    if (join) await coordinator.start();
    return coordinator;
  }

  /** Waits until every replica sees `count` live replicas. */
  async function converged(replicas: readonly ReplicaCoordinator[], count: number) {
    await eventually(
      () => (replicas.every((r) => r.liveReplicas === count) ? true : undefined),
      15_000,
      `${count} live replicas everywhere`,
    );
  }

  /** Two steps of every replica: releases go out in the first, acquisitions land by the second. */
  async function settle(replicas: readonly ReplicaCoordinator[]) {
    for (let round = 0; round < 2; round++) {
      for (const r of replicas) await r.step(SERVICES);
    }
  }

  function expectedOwners(ids: readonly string[]): Map<string, string> {
    const assignment = new Assignment(ids[0]!);
    assignment.setMembers(ids);
    return new Map(SERVICES.map((s) => [s, assignment.ownerOf(s)]));
  }

  function ownersNow(replicas: Record<string, ReplicaCoordinator>): Map<string, string[]> {
    const owners = new Map<string, string[]>();
    for (const service of SERVICES) {
      owners.set(
        service,
        Object.entries(replicas)
          .filter(([, r]) => r.owns(service))
          .map(([id]) => id),
      );
    }
    return owners;
  }

  it('owns everything alone, the chores included', async () => {
    const a = await replica('a');
    const step = await a.step(SERVICES);
    expect([...step.owned].sort()).toEqual([...SERVICES].sort());
    expect([...step.acquired].sort()).toEqual([...SERVICES].sort());
    expect(a.holdsChores()).toBe(true);
    expect(a.leasesHeld).toBe(SERVICES.length + 1);
    expect(await redis.get(QuasarKeys.lease('svc-0'))).toBe(a.token);
    expect(a.token).toMatch(/^a#[0-9a-f]{8}$/);
  });

  it('splits the services between three replicas: each owned by exactly its rendezvous owner', async () => {
    const replicas = { a: await replica('a'), b: await replica('b'), c: await replica('c') };
    const all = Object.values(replicas);
    await converged(all, 3);
    await settle(all);
    const expected = expectedOwners(['a', 'b', 'c']);
    for (const [service, owners] of ownersNow(replicas)) {
      expect({ service, owners }).toEqual({ service, owners: [expected.get(service)] });
    }
    expect(all.filter((r) => r.holdsChores())).toHaveLength(1);
    expect(all.reduce((n, r) => n + r.ownedServices.size, 0)).toBe(SERVICES.length);
  });

  it('moves to a 4th replica only the services it wins, with no service owned twice', async () => {
    const replicas: Record<string, ReplicaCoordinator> = {
      a: await replica('a'),
      b: await replica('b'),
      c: await replica('c'),
    };
    await converged(Object.values(replicas), 3);
    await settle(Object.values(replicas));
    const before = ownersNow(replicas);
    replicas.d = await replica('d');
    await converged(Object.values(replicas), 4);
    // One step of the old replicas: they release; d has not stepped yet, nothing is owned twice.
    for (const id of ['a', 'b', 'c']) await replicas[id]!.step(SERVICES);
    const acquired = (await replicas.d.step(SERVICES)).acquired;
    const after = ownersNow(replicas);
    const expected = expectedOwners(['a', 'b', 'c', 'd']);
    for (const service of SERVICES) {
      expect(after.get(service)!.length).toBe(1);
      if (expected.get(service) === 'd') expect(after.get(service)).toEqual(['d']);
      else expect(after.get(service)).toEqual(before.get(service));
    }
    expect([...acquired].sort()).toEqual(SERVICES.filter((s) => expected.get(s) === 'd').sort());
  });

  it('hands a stopped replica’s services over at once: it leaves and releases', async () => {
    const replicas = { a: await replica('a'), b: await replica('b') };
    await converged(Object.values(replicas), 2);
    await settle(Object.values(replicas));
    const ofA = [...replicas.a.ownedServices];
    expect(ofA.length).toBeGreaterThan(0);
    await replicas.a.stop();
    expect(await redis.zscore(QuasarKeys.collectors, 'a')).toBeNull();
    expect(await redis.exists(...ofA.map((s) => QuasarKeys.lease(s)))).toBe(0);
    await converged([replicas.b], 1);
    const step = await replicas.b.step(SERVICES);
    // Well within the TTL: nothing had to expire.
    expect([...step.acquired].sort()).toEqual(ofA.sort());
    expect(step.owned.size).toBe(SERVICES.length);
  });

  it('--once: takes only the leases nobody holds, without joining', async () => {
    const a = await replica('a');
    await a.step(SERVICES.slice(0, 30));
    const once = await replica('once', false);
    const step = await once.step(SERVICES);
    expect([...step.owned].sort()).toEqual(SERVICES.slice(30).sort());
    expect(once.holdsChores()).toBe(false);
    expect(await redis.zscore(QuasarKeys.collectors, 'once')).toBeNull();
    await once.stop();
    expect(await redis.exists(...SERVICES.slice(30).map((s) => QuasarKeys.lease(s)))).toBe(0);
  });

  it('stops owning a service the moment its lease lapses on the local clock, with no step between', async () => {
    let nowMs = 1_000;
    const client = new Redis(url);
    const coordinator = new ReplicaCoordinator(
      client,
      { replicaId: 'a', leaseTtlMs: TTL_MS, onError: () => undefined },
      () => nowMs,
    );
    running.push({ coordinator, client });
    await coordinator.step(['svc-0', 'svc-1']);
    expect([coordinator.owns('svc-0'), coordinator.owns('svc-1')]).toEqual([true, true]);
    // An export in flight asks again for each node: the lease's local deadline is TTL - 10 %.
    nowMs += TTL_MS * 0.9 - 1;
    expect(coordinator.owns('svc-0')).toBe(true);
    nowMs += 1;
    expect([coordinator.owns('svc-0'), coordinator.owns('svc-1')]).toEqual([false, false]);
    // Renewed by the next step, then given back when the step no longer reads the service.
    await coordinator.step(['svc-0', 'svc-1']);
    expect(coordinator.owns('svc-1')).toBe(true);
    await coordinator.step(['svc-0']);
    expect([coordinator.owns('svc-0'), coordinator.owns('svc-1')]).toEqual([true, false]);
    expect(coordinator.owns('svc-2')).toBe(false);
  });

  it('counts leases acquired, lost and released, and renewals that failed', async () => {
    const a = await replica('a');
    await a.step(['svc-0', 'svc-1']);
    await redis.set(QuasarKeys.lease('svc-0'), 'someone-else', 'PX', 60_000);
    await a.step(['svc-0']); // svc-0 lost, svc-1 released (no longer read)
    expect(a.counts).toEqual({ acquired: 3, lost: 1, released: 1, renewalFailures: 1 });
  });
});
