/** `GET /api/pulse/slow`: the newest slow-log entries, read straight from the streams. */
import type Redis from 'ioredis';
import { QuasarKeys, parseSlowEntry } from '@gravito/quasar/schema';
import type { SlowEntry } from '@gravito/quasar/schema';

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

/** Newest first across services; malformed entries are skipped and counted. */
export async function querySlow(
  redis: Redis,
  query: SlowQuery,
): Promise<{ entries: SlowItem[]; skipped: number }> {
  if (query.services.length === 0) return { entries: [], skipped: 0 };
  const pipeline = redis.pipeline();
  const start = query.sinceMs !== undefined ? String(Math.floor(query.sinceMs)) : '-';
  for (const service of query.services) {
    pipeline.xrevrange(QuasarKeys.slowLog(service), '+', start, 'COUNT', query.limit);
  }
  const replies = (await pipeline.exec()) ?? [];
  const entries: SlowItem[] = [];
  let skipped = 0;
  replies.forEach(([error, reply], i) => {
    if (error) throw error;
    const service = query.services[i] as string;
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
