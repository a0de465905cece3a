/**
 * The last raw entries of one group, for "show me the entries": newest last, at most `max` of
 * them and at most `maxBytes` of their strings (an agent may write 512-character routes), the
 * oldest dropped first. An entry is kept without its kind and name, which its group holds.
 */
import type { SlowEntry } from '@gravito/quasar/schema';

/** An entry as a group keeps it: its stream id, and the fields that differ between entries. */
export type RecentEntry = Omit<SlowEntry, 'kind' | 'name'> & { id: string };

/**
 * What one kept entry costs beyond its strings: the object with up to 12 properties, its
 * numbers, and the ring's slot. An upper bound taken from V8's layout (a heap number is 16
 * bytes, a property slot 8, an object header 24, an allocated string 16 or more), with room: a
 * test measures the heap.
 */
export const ENTRY_OVERHEAD_BYTES = 512;

/**
 * The kept form of an entry: every field present, in one order, so all kept entries share one
 * V8 shape (a copy made by rest and spread measured half as large again per entry).
 */
export function keptEntry(entry: SlowEntry, id: string): RecentEntry {
  return {
    id,
    nodeId: entry.nodeId,
    durationMs: entry.durationMs,
    thresholdMs: entry.thresholdMs,
    timestamp: entry.timestamp,
    method: entry.method,
    route: entry.route,
    status: entry.status,
    queue: entry.queue,
    traceId: entry.traceId,
    spanId: entry.spanId,
  };
}

const STRING_FIELDS = ['id', 'nodeId', 'method', 'route', 'queue', 'traceId', 'spanId'] as const;

/** An entry's cost: its strings at two bytes a character (V8's widest), plus the overhead. */
export function entryBytes(entry: RecentEntry): number {
  let chars = 0;
  for (const field of STRING_FIELDS) chars += entry[field]?.length ?? 0;
  return chars * 2 + ENTRY_OVERHEAD_BYTES;
}

/** A bounded list of the newest entries. */
export class RecentEntries {
  private readonly entries: RecentEntry[] = [];
  private sizes: number[] = [];
  /** Bytes the kept entries cost, by `entryBytes`. */
  bytes = 0;

  constructor(
    private readonly max: number,
    private readonly maxBytes: number,
  ) {}

  add(entry: RecentEntry): void {
    const size = entryBytes(entry);
    this.entries.push(entry);
    this.sizes.push(size);
    this.bytes += size;
    // The newest entry always stays, whatever its size: `maxBytes` is above any one entry's.
    while (
      this.entries.length > 1 &&
      (this.entries.length > this.max || this.bytes > this.maxBytes)
    ) {
      this.entries.shift();
      this.bytes -= this.sizes.shift()!;
    }
  }

  /** Newest first, without the fields an entry did not carry. */
  newestFirst(): RecentEntry[] {
    return this.entries.map(withoutAbsent).reverse();
  }

  get size(): number {
    return this.entries.length;
  }
}

/** A kept entry as the API returns it: absent optional fields left out, not `undefined`. */
function withoutAbsent(entry: RecentEntry): RecentEntry {
  const copy: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(entry)) if (value !== undefined) copy[field] = value;
  return copy as RecentEntry;
}
