/**
 * The settings table's building blocks: the shape of one setting and the parsers that turn a
 * flag's or variable's text into a typed value.
 */
import { RedisUrlError, parseRedisUrl } from '@gravito/quasar';
import type { CollectorConfig } from './options';

/** Parses a setting's text, throwing {@link InvalidValue} on a bad value. */
export type Parser<T> = (text: string) => T;

export interface Setting<K extends keyof CollectorConfig = keyof CollectorConfig> {
  key: K;
  flag: string;
  env: readonly string[];
  /** Flags that take no value (`--once`). */
  boolean?: true;
  /** Shown as the value's placeholder in `--help`. */
  placeholder?: string;
  help: string;
  parse: Parser<CollectorConfig[K]>;
  /** Never printed (tokens). */
  secret?: true;
}

/** Thrown by parsers; the resolver prefixes it with the setting's flag and variables. */
export class InvalidValue extends Error {}

export const text: Parser<string> = (value) => {
  if (value.trim() === '') throw new InvalidValue('must not be empty');
  return value;
};

/**
 * A Redis URL: `redis://`, `rediss://`, `redis+cluster://` or `rediss+cluster://`. The message
 * never quotes the URL, nor any part of it that could be a password.
 */
export const redisUrl: Parser<string> = (value) => {
  const url = text(value);
  try {
    parseRedisUrl(url);
  } catch (error) {
    if (!(error instanceof RedisUrlError)) throw error;
    throw new InvalidValue(withoutSecrets(error.message, url));
  }
  return url;
};

/** `message` with every part of `url` before its last `@` masked, whatever its form. */
function withoutSecrets(message: string, url: string): string {
  const scheme = url.indexOf('://');
  const at = url.lastIndexOf('@');
  const userinfo = scheme !== -1 && at > scheme ? url.slice(scheme + 3, at) : '';
  let out = message;
  for (const part of userinfo.split(/[:,]/)) if (part.length > 0) out = out.split(part).join('***');
  // Without an `@`, a seed quoted back (`"user:pass"`) may be a misplaced credential.
  return at === -1 ? out.replace(/"[^"]*"/g, '(the value given)') : out;
}

/** A comma-separated list of secrets; never quoted back in a message. */
export const tokenList: Parser<readonly string[]> = (value) => {
  const tokens = value.split(',').map((t) => t.trim());
  if (tokens.some((t) => t === ''))
    throw new InvalidValue('expected non-empty tokens separated by commas');
  return tokens;
};

export const bool: Parser<boolean> = (value) => {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new InvalidValue(`expected true or false, got ${JSON.stringify(value)}`);
};

export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || n < min || n > max) {
      throw new InvalidValue(
        `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
      );
    }
    return n;
  };
}

/** Durations accept plain milliseconds or a unit: `500ms`, `10s`, `5m`, `1h`, `30d`. */
export function duration(min: number, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return (value) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
    const unit =
      { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match?.[2] ?? 'ms'] ?? 1;
    const ms = match ? Math.round(Number(match[1]) * unit) : NaN;
    if (!Number.isFinite(ms) || ms < min) {
      throw new InvalidValue(
        `expected a duration of at least ${min} ms (e.g. 500ms, 10s, 5m, 30d), got ${JSON.stringify(value)}`,
      );
    }
    if (ms > max) {
      throw new InvalidValue(
        `expected a duration of at most ${max} ms, got ${JSON.stringify(value)}`,
      );
    }
    return ms;
  };
}

/** Types one row of the settings table. */
export const setting = <K extends keyof CollectorConfig>(s: Setting<K>): Setting<K> => s;
