/**
 * One XREADGROUP reply sorted into what to export and what to acknowledge at once: entries
 * trimmed while pending, and malformed ones, which are never valid and never worth a retry.
 */
import { parseSlowEntry } from '@gravito/quasar/schema';
import type { Decoded, Prepared, SlowLogCounts, StreamReply } from './consumer-types';

/** Appends `id` to `key`'s list. */
export function pushId(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

/**
 * Parses a read. `services` maps a stream key to its service. Counts trimmed and malformed
 * entries in `counts`; a malformed entry is acknowledged and nothing of it is exported, neither
 * its log record nor its duration.
 */
export function prepareReply(
  reply: NonNullable<StreamReply>,
  services: ReadonlyMap<string, string>,
  counts: Pick<SlowLogCounts, 'trimmed' | 'malformed'>,
): Prepared {
  const decoded: Decoded[] = [];
  const ackNow = new Map<string, string[]>();
  let handled = 0;
  for (const [stream, entries] of reply) {
    const service = services.get(stream) ?? stream;
    for (const [id, fields] of entries) {
      handled++;
      if (fields === null) {
        counts.trimmed++;
        pushId(ackNow, stream, id);
        continue;
      }
      const parsed = parseSlowEntry(fields);
      if (!parsed.ok) {
        counts.malformed++;
        pushId(ackNow, stream, id);
        continue;
      }
      decoded.push({ stream, id, service, entry: parsed.value });
    }
  }
  return { handled, ackNow, decoded };
}
