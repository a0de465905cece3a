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
}

const asMembers = (reply: unknown): string[] =>
  Array.isArray(reply) ? reply.filter((m): m is string => typeof m === 'string') : [];

/**
 * Reads every index. Rejects when the v1 index or the services index cannot be read (Redis is
 * away); a service whose own index fails keeps `previous`'s keys for it.
 * @param previous the keys of each v2 service as last read.
 */
export async function readNodeIndexes(
  client: RedisClient,
  previous: ReadonlyMap<string, readonly string[]>,
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
  for (const reply of [fleet, listed]) if (reply?.[0]) throw reply[0];
  const read: IndexRead = {
    keys: [],
    invalid: new Map(),
    emptyServices: [],
    invalidServices: [],
    failed: new Map(),
    byService: new Map(),
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
  for (const member of asMembers(fleet?.[1])) {
    if (parseNodeKey(member)?.layout === 'v1') add(member);
    else invalid(QuasarKeys.nodeIndex, member);
  }
  const services: string[] = [];
  for (const member of asMembers(listed?.[1])) {
    if (isServiceName(member)) services.push(member);
    else read.invalidServices.push(member);
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
      const kept = previous.get(service) ?? [];
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
