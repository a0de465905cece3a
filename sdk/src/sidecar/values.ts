/**
 * Parsers for single setting values. Flags and variables give strings; the config file gives
 * JSON values, so each parser accepts both and throws `InvalidValue` saying what it expected.
 */
import {
  MAX_NODE_ID_LENGTH,
  PROTOTYPE_MEMBER_NAMES,
  isNodeId,
  isServiceName,
} from '../schema/names';
import { RedisUrlError, hasRedisScheme, parseRedisUrl } from '../redis/redis-url';
import { KEY_LAYOUTS } from '../schema/keys';
import type { KeyLayout } from '../schema/keys';
import { expected } from './errors';

/** The smallest interval the SDK accepts, in seconds. */
export const MIN_INTERVAL_SECONDS = 0.1;

function text(raw: unknown, what: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw expected(what, raw);
  return raw.trim();
}

function numeric(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && raw.trim() !== '') return Number(raw.trim());
  return NaN;
}

/** The service (group) name. */
export function serviceName(raw: unknown): string {
  const what =
    'a name without spaces, ":", "*", "?", "[", "]" or "\\", not an Object.prototype member such as "constructor"';
  const value = text(raw, what);
  // The SDK's own rule (see `resolve.ts`), checked here so the error names the setting.
  if (!isServiceName(value) || PROTOTYPE_MEMBER_NAMES.has(value)) throw expected(what, raw);
  return value;
}

/** The node name, the first part of the node id. */
export function nodeName(raw: unknown): string {
  const what = 'a name without spaces, "*", "?", "[", "]" or "\\"';
  const value = text(raw, what);
  if (!isNodeId(value) || value.length > MAX_NODE_ID_LENGTH - 16) throw expected(what, raw);
  return value;
}

/** Any non-blank string (a language name or version). */
export function label(raw: unknown): string {
  return text(raw, 'a non-empty string');
}

/** Seconds between beats, fractions allowed. */
export function intervalSeconds(raw: unknown): number {
  const n = numeric(raw);
  if (!Number.isFinite(n) || n < MIN_INTERVAL_SECONDS) {
    throw expected(`a number of seconds ≥ ${MIN_INTERVAL_SECONDS}`, raw);
  }
  return n;
}

/** A duration in milliseconds, 0 or more. */
export function milliseconds(raw: unknown): number {
  const n = numeric(raw);
  if (!Number.isFinite(n) || n < 0) throw expected('a number of milliseconds ≥ 0', raw);
  return n;
}

/** A count, 1 or more. */
export function positiveInteger(raw: unknown): number {
  const n = numeric(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw expected('a positive integer', raw);
  return n;
}

/** The pause between two batches of a bulk command: an integer of ms from 0 to 60000. */
export function batchPause(raw: unknown): number {
  const n = numeric(raw);
  if (!Number.isInteger(n) || n < 0 || n > 60_000) {
    throw expected('an integer of milliseconds from 0 to 60000', raw);
  }
  return n;
}

/** true/false, 1/0, yes/no or on/off (the SDK's spellings), or a JSON boolean. */
export function boolean(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  const s = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  if (s !== undefined && ['true', '1', 'yes', 'on'].includes(s)) return true;
  if (s !== undefined && ['false', '0', 'no', 'off'].includes(s)) return false;
  throw expected('true or false', raw);
}

/** An absolute directory path. */
export function absolutePath(raw: unknown): string {
  const value = text(raw, 'an absolute path');
  if (!value.startsWith('/')) throw expected('an absolute path', raw);
  return value;
}

/** A Redis URL: one Redis (`redis://`, `rediss://`) or a cluster (`redis+cluster://`, `rediss+cluster://`). */
export function redisUrl(raw: unknown): string {
  const what = 'a redis://, rediss://, redis+cluster:// or rediss+cluster:// URL';
  if (typeof raw !== 'string') throw expected(what, raw);
  const url = raw.trim();
  try {
    parseRedisUrl(url);
  } catch (error) {
    if (!(error instanceof RedisUrlError)) throw error;
    // Past the scheme, the parser's reason says what is wrong; it never quotes credentials.
    const why = hasRedisScheme(url) ? ` (${error.message})` : '';
    throw expected(`${what}${why}`, redactUrl(url));
  }
  return url;
}

/**
 * A URL fit for a log line or an error: the password, if any, replaced by `***`. Everything up
 * to the last `@` is credentials, so a password holding `/` or `@` is hidden too.
 */
export function redactUrl(url: string): string {
  return url.replace(/\/\/(.*)@/, (_, auth: string) =>
    auth.includes(':') ? `//${auth.slice(0, auth.indexOf(':'))}:***@` : '//***@',
  );
}

/** A key layout: `v1` or `v2`. */
export function keyLayout(raw: unknown): KeyLayout {
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
  const layout = KEY_LAYOUTS.find((l) => l === value);
  if (!layout) throw expected('v1 or v2', raw);
  return layout;
}

/** Log levels, most severe first. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
/** One of `LOG_LEVELS`. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One of `LOG_LEVELS`. */
export function logLevel(raw: unknown): LogLevel {
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
  const level = LOG_LEVELS.find((l) => l === value);
  if (!level) throw expected(LOG_LEVELS.join(', '), raw);
  return level;
}
