/**
 * `GET /api/pulse/slow`: the newest slow-log entries, read straight from the streams. A service's
 * entries may sit in its v1 stream, its v2 (cluster layout) stream, or both while its agents
 * move over: both are read. One round trip on a single Redis; on a cluster the XREVRANGEs are
 * pipelined per primary, since a pipeline may not span primaries.
 */
import type { RedisClient } from '@gravito/quasar';
import { KEY_LAYOUTS, parseSlowEntry, serviceKeys } from '@gravito/quasar/schema';
import type { SlowEntry } from '@gravito/quasar/schema';
import { execPerItem } from '../redis/slot-groups';

export interface SlowQuery {
  services: readonly string[];
  limit: number;
  /** Only entries written at or after this time, epoch ms (stream ids carry Redis's clock). */
  sinceMs?: number;
}

export interface SlowItem extends SlowEntry {
  id: string;
  service: string;
}

export const SLOW_LIMIT_DEFAULT = 100;
export const SLOW_LIMIT_MAX = 1000;

interface StreamOf {
  service: string;
  key: string;
}

/** Newest first across services; malformed entries are skipped and counted. */
export async function querySlow(
  redis: RedisClient,
  query: SlowQuery,
): Promise<{ entries: SlowItem[]; skipped: number }> {
  if (query.services.length === 0) return { entries: [], skipped: 0 };
  const start = query.sinceMs !== undefined ? String(Math.floor(query.sinceMs)) : '-';
  const streams: StreamOf[] = query.services.flatMap((service) =>
    KEY_LAYOUTS.map((layout) => ({ service, key: serviceKeys(service, layout).slowLog })),
  );
  const replies = await execPerItem(
    redis,
    streams,
    ({ key }) => key,
    (pipeline, { key }) => void pipeline.xrevrange(key, '+', start, 'COUNT', query.limit),
  );
  const entries: SlowItem[] = [];
  let skipped = 0;
  replies.forEach(([[error, reply] = [new Error('no reply'), null]], i) => {
    if (error) throw error;
    const { service } = streams[i]!;
    for (const [id, fields] of reply as Array<[string, string[]]>) {
      const parsed = parseSlowEntry(fields);
      if (parsed.ok) entries.push({ ...parsed.value, id, service });
      else skipped++;
    }
  });
  entries.sort((a, b) => compareIds(b.id, a.id));
  return { entries: entries.slice(0, query.limit), skipped };
}

/** Orders stream ids `ms-seq` numerically. */
function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}
