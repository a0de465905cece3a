/** Support for the slow-log suites: read the stream back through the schema, and capture logs. */
import type Redis from 'ioredis';
import { QuasarKeys, parseSlowEntry } from '../../src/schema';
import type { SlowEntry } from '../../src/schema';
import type { QuasarLogger } from '../../src';

/** One stream entry: its id and the parsed entry. */
export interface StoredSlowEntry {
  id: string;
  entry: SlowEntry;
  /** The raw field list, to check what was (not) written. */
  fields: string[];
}

/** XRANGE the whole slow log of a service, failing on any entry the schema rejects. */
export async function readSlowLog(redis: Redis, service: string): Promise<StoredSlowEntry[]> {
  const raw = await redis.xrange(QuasarKeys.slowLog(service), '-', '+');
  return raw.map(([id, fields]) => {
    const parsed = parseSlowEntry(fields);
    if (!parsed.ok) throw new Error(`entry ${id}: ${parsed.error}`);
    return { id, entry: parsed.value, fields };
  });
}

/** The epoch ms part of a stream id: when Redis took the entry. */
export function idTime(id: string): number {
  return Number(id.split('-')[0]);
}

/** A logger that keeps its lines, as `level message`. */
export function recordingLogger(): { lines: string[]; logger: QuasarLogger } {
  const lines: string[] = [];
  const logger: QuasarLogger = {
    debug: (m) => lines.push(`debug ${m}`),
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  return { lines, logger };
}

export const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };
