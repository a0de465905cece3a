/**
 * Parsing of the Redis stream replies the `bullmq` probe reads its events stream with
 * (`XRANGE`, `XINFO STREAM`, `TIME`). Every reply is untrusted: a value of the wrong shape
 * parses to undefined, and lists are walked only up to a bound.
 */

/** A stream entry id, `ms-seq`, as two integers compared in order. */
export interface StreamId {
  ms: bigint;
  seq: bigint;
}

const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;
/** `XINFO STREAM` replies hold about twenty name/value items; more is not a stream's info. */
const MAX_INFO_ITEMS = 64;

/** The id `0-0`, before every entry: where a stream that does not exist yet starts. */
export const STREAM_START: StreamId = { ms: 0n, seq: 0n };

/** Parses `ms-seq`; undefined for anything else. */
export function parseStreamId(value: unknown): StreamId | undefined {
  if (typeof value !== 'string') return undefined;
  const match = STREAM_ID.exec(value);
  if (!match) return undefined;
  return { ms: BigInt(match[1] as string), seq: BigInt(match[2] as string) };
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

/** The smallest id after `id`, as `XRANGE` takes it (an exclusive start any Redis accepts). */
export function idAfter(id: StreamId): string {
  return id.seq < 0xffff_ffff_ffff_ffffn ? `${id.ms}-${id.seq + 1n}` : `${id.ms + 1n}-0`;
}

/** What the probe uses of `XINFO STREAM`. */
export interface StreamInfo {
  /** The id of the newest entry ever added (kept when entries are trimmed). */
  lastGeneratedId: StreamId;
  /** The newest id deleted or trimmed away (Redis ≥ 7.0); undefined on older Redis. */
  maxDeletedId: StreamId | undefined;
  /** The oldest entry still held; undefined when the stream is empty. */
  firstEntryId: StreamId | undefined;
  /** How many entries it holds. */
  length: number;
  /** How many entries were ever added to it (Redis ≥ 7.0); undefined on older Redis. */
  entriesAdded: number | undefined;
}

const countOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;

/** Parses an `XINFO STREAM` reply (a flat name/value list); undefined when it is not one. */
export function parseStreamInfo(reply: unknown): StreamInfo | undefined {
  if (!Array.isArray(reply) || reply.length > MAX_INFO_ITEMS) return undefined;
  let lastGeneratedId: StreamId | undefined;
  let maxDeletedId: StreamId | undefined;
  let firstEntryId: StreamId | undefined;
  let length: number | undefined;
  let entriesAdded: number | undefined;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const value: unknown = reply[i + 1];
    switch (reply[i]) {
      case 'last-generated-id':
        lastGeneratedId = parseStreamId(value);
        break;
      case 'max-deleted-entry-id':
        maxDeletedId = parseStreamId(value);
        break;
      case 'length':
        length = countOf(value);
        break;
      case 'entries-added':
        entriesAdded = countOf(value);
        break;
      case 'first-entry':
        firstEntryId = Array.isArray(value) ? parseStreamId(value[0]) : undefined;
        break;
    }
  }
  if (!lastGeneratedId || length === undefined) return undefined;
  return { lastGeneratedId, maxDeletedId, firstEntryId, length, entriesAdded };
}

/** One entry of an `XRANGE` reply: its id and the value of its `event` field. */
export interface StreamEvent {
  id: StreamId;
  event: string | undefined;
}

/** The `event` field of an entry's flat field/value list. */
function eventOf(fields: unknown): string | undefined {
  if (!Array.isArray(fields)) return undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'event') {
      const value: unknown = fields[i + 1];
      return typeof value === 'string' ? value : undefined;
    }
  }
  return undefined;
}

/**
 * Parses an `XRANGE` reply of at most `max` entries; undefined when it is not one (or holds
 * more, which the `COUNT` sent rules out).
 */
export function parseStreamEvents(reply: unknown, max: number): StreamEvent[] | undefined {
  if (!Array.isArray(reply) || reply.length > max) return undefined;
  const events: StreamEvent[] = [];
  for (const entry of reply) {
    if (!Array.isArray(entry)) return undefined;
    const id = parseStreamId(entry[0]);
    if (!id) return undefined;
    events.push({ id, event: eventOf(entry[1]) });
  }
  return events;
}

/** Parses a `TIME` reply (`[seconds, microseconds]`) to epoch ms; undefined otherwise. */
export function parseTimeMs(reply: unknown): number | undefined {
  if (!Array.isArray(reply) || reply.length !== 2) return undefined;
  const [seconds, micros] = reply.map((part) =>
    typeof part === 'string' && /^\d{1,16}$/.test(part) ? Number(part) : NaN,
  ) as [number, number];
  if (!Number.isFinite(seconds) || !Number.isFinite(micros)) return undefined;
  return seconds * 1000 + micros / 1000;
}
