/**
 * Reads the node indexes of both key layouts: the fleet-wide v1 index, and the v2 services
 * index with each service's own index (`gravito:quasar:nodes:{orders}`). On a single Redis the
 * v1 index and the services index are one pipeline, as one round trip as the v1 index alone; a
 * second round trip reads the services' indexes, only when there are v2 services. On a Redis
 * Cluster every index is one command on its node, sent concurrently.
 *
 * Any agent may write an index, so a member that is not a heartbeat key of that index (another
 * namespace's key, a 5 MB string, another service's key) is never read: it is reported, for
 * the chores to remove.
 */
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys, isServiceName, parseNodeKey } from '@gravito/quasar/schema';
import { execPerKey } from '../redis/slot-groups';

/** Services read from the services index at most: a bound on what another writer could put there. */
export const MAX_SERVICES = 10_000;

/** What one read of the indexes found. */
export interface IndexRead {
  /** Heartbeat keys of every index, each once: v1 keys first, in index order. */
  readonly keys: string[];
  /** Members that are not heartbeat keys of their index, by index key. */
  readonly invalid: Map<string, string[]>;
  /** Services of the services index whose own index is empty now. */
  readonly emptyServices: string[];
  /** Members of the services index that are not service names. */
  readonly invalidServices: string[];
  /** Services whose index could not be read, with the error: their keys are the last read's. */
  readonly failed: Map<string, Error>;
  /** The heartbeat keys of each v2 service. */
  readonly byService: Map<string, string[]>;
  /** The keys of the v1 index (as last read, when it could not be read now). */
  readonly v1: string[];
}

/** What the last read found, to fall back on for an index that cannot be read now. */
export interface PreviousIndexes {
  /** The v1 index's keys, or undefined before the first read. */
  readonly v1: readonly string[] | undefined;
  /** The keys of each v2 service. */
  readonly byService: ReadonlyMap<string, readonly string[]>;
}

const asMembers = (reply: unknown): string[] =>
  Array.isArray(reply) ? reply.filter((m): m is string => typeof m === 'string') : [];

/**
 * Reads every index. An index that fails keeps `previous`'s keys (a cluster node that is
 * failing over costs only what it serves, and the failure is reported in `failed` under the
 * index's key or the service); with nothing read before, a failed v1 or services index rejects
 * (Redis is away).
 */
export async function readNodeIndexes(
  client: RedisClient,
  previous: PreviousIndexes,
): Promise<IndexRead> {
  const [fleet, listed] = await execPerKey(
    client,
    [QuasarKeys.nodeIndex, QuasarKeys.services],
    () => client.pipeline(),
    (pipeline, i) =>
      i === 0
        ? pipeline.zrange(QuasarKeys.nodeIndex, 0, -1)
        : pipeline.zrange(QuasarKeys.services, 0, MAX_SERVICES - 1),
  );
  const fleetError = fleet?.[0] ?? (fleet ? null : new Error('no reply'));
  const listedError = listed?.[0] ?? (listed ? null : new Error('no reply'));
  if (previous.v1 === undefined) {
    if (fleetError) throw fleetError;
    if (listedError) throw listedError;
  }
  const read: IndexRead = {
    keys: [],
    invalid: new Map(),
    emptyServices: [],
    invalidServices: [],
    failed: new Map(),
    byService: new Map(),
    v1: [],
  };
  const { byService } = read;
  const seen = new Set<string>();
  const add = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    read.keys.push(key);
  };
  const invalid = (index: string, member: string) => {
    let members = read.invalid.get(index);
    if (!members) read.invalid.set(index, (members = []));
    members.push(member);
  };
  if (fleetError) {
    read.failed.set(QuasarKeys.nodeIndex, fleetError);
    for (const key of previous.v1 ?? []) add(key);
  } else {
    for (const member of asMembers(fleet?.[1])) {
      if (parseNodeKey(member)?.layout === 'v1') add(member);
      else invalid(QuasarKeys.nodeIndex, member);
    }
  }
  read.v1.push(...read.keys);
  const services: string[] = [];
  if (listedError) {
    read.failed.set(QuasarKeys.services, listedError);
    services.push(...previous.byService.keys());
  } else {
    for (const member of asMembers(listed?.[1])) {
      if (isServiceName(member)) services.push(member);
      else read.invalidServices.push(member);
    }
  }
  const indexes = services.map((service) => QuasarKeys.v2.nodeIndex(service));
  const replies = await execPerKey(
    client,
    indexes,
    () => client.pipeline(),
    (pipeline, i) => pipeline.zrange(indexes[i] as string, 0, -1),
  );
  services.forEach((service, i) => {
    const [error, reply] = replies[i] ?? [new Error('no reply'), null];
    if (error) {
      read.failed.set(service, error);
      const kept = previous.byService.get(service) ?? [];
      byService.set(service, [...kept]);
      for (const key of kept) add(key);
      return;
    }
    const members = asMembers(reply);
    const keys: string[] = [];
    for (const member of members) {
      const parts = parseNodeKey(member);
      if (parts?.layout === 'v2' && parts.service === service) keys.push(member);
      else invalid(indexes[i] as string, member);
    }
    byService.set(service, keys);
    if (members.length === 0) read.emptyServices.push(service);
    for (const key of keys) add(key);
  });
  return read;
}
