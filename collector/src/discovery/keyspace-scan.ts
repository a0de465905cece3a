/**
 * Walks the Quasar namespace with SCAN. A Redis Cluster's SCAN walks one node only, so there
 * every primary is walked, concurrently, each with its own cursor.
 */
import type Redis from 'ioredis';
import { isClusterClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';

/** Keys per SCAN step: big enough to keep round trips few on a large keyspace. */
export const SCAN_COUNT = 5000;

async function walk(node: Redis, onKeys: (keys: readonly string[]) => void): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(
      cursor,
      'MATCH',
      QuasarKeys.namespaceScanPattern,
      'COUNT',
      SCAN_COUNT,
    );
    cursor = next;
    onKeys(keys);
  } while (cursor !== '0');
}

/** Calls `onKeys` with every key of the namespace (a key may come twice, as SCAN gives it). */
export async function scanNamespace(
  client: RedisClient,
  onKeys: (keys: readonly string[]) => void,
): Promise<void> {
  if (!isClusterClient(client)) return walk(client, onKeys);
  const primaries = client.nodes('master');
  if (primaries.length === 0) throw new Error('no cluster primary known to scan');
  await Promise.all(primaries.map((node) => walk(node, onKeys)));
}
