/**
 * Redaction of an inspected job's values by key pattern, before anything leaves the agent.
 * Parsed JSON is walked with bounds on depth and entries (a payload is untrusted: it may nest a
 * thousand levels or hold a hundred thousand keys) and rebuilt on prototype-free objects, so a
 * `__proto__` key is data like any other. Strings, inside JSON or stored as text, also lose the
 * credentials they quote: `Bearer …` / `Basic …` and `key=value` or PHP-serialized pairs whose
 * key matches a pattern.
 */

/** What a redacted value becomes. */
export const REDACTED = '[REDACTED]';
/** What a value beyond the walk's depth or entry bound becomes. */
export const TRUNCATED_MARKER = '[TRUNCATED]';

/**
 * The key patterns always redacted; `redactKeys` / `QUASAR_REDACT_KEYS` add to them, never
 * replace them. A string matches any key that contains it once both are lower-cased and
 * stripped of `-`, `_` and spaces (`user_password`, `X-Api-Token`, `creditCard`); a RegExp is
 * tested against the key as written. Short words that would match inside unrelated keys
 * (`pan` in `company`, `ssn` in `classname`) are whole-key patterns.
 */
export const DEFAULT_REDACT_KEYS: readonly (string | RegExp)[] = Object.freeze([
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'privatekey',
  'authorization',
  'cookie',
  'session',
  'card',
  'cvv',
  'cvc',
  'iban',
  'credential',
  'signature',
  /^[-_ ]*(auth|pan|ssn|pin|otp)[-_ ]*$/i,
]);

/** How far a walk goes into parsed JSON. */
export interface RedactBounds {
  /** Containers nested deeper than this become the marker. */
  maxDepth: number;
  /** Values (containers, entries, scalars) visited at most; later ones become the marker. */
  maxEntries: number;
}

/** The default walk bounds: generous for a payload, small beside a 64 KB result. */
export const REDACT_BOUNDS: RedactBounds = { maxDepth: 32, maxEntries: 20_000 };

/**
 * The longest string kept before redaction: longer ones are cut first (and the walk counts as
 * truncated), since no field of a capped job could show more, and the text patterns would
 * otherwise scan megabytes.
 */
export const MAX_REDACTED_STRING = 64 * 1024;

/** `text` cut to `MAX_REDACTED_STRING`, and whether it was. */
export function cutLong(text: string): { text: string; cut: boolean } {
  if (text.length <= MAX_REDACTED_STRING) return { text, cut: false };
  const end = /[\uD800-\uDBFF]/.test(text.charAt(MAX_REDACTED_STRING - 1))
    ? MAX_REDACTED_STRING - 1
    : MAX_REDACTED_STRING;
  return { text: text.slice(0, end), cut: true };
}

/** A compiled set of key patterns. */
export interface KeyMatcher {
  (key: string): boolean;
}

/** Lower-case, without `-`, `_` and white space: how string patterns and keys are compared. */
export const normalizeKey = (key: string): string => key.toLowerCase().replace(/[-_\s]/g, '');

/** The matcher of the default patterns plus `extra`. */
export function keyMatcher(extra: readonly (string | RegExp)[] = []): KeyMatcher {
  const words: string[] = [];
  const expressions: RegExp[] = [];
  for (const pattern of [...DEFAULT_REDACT_KEYS, ...extra]) {
    if (typeof pattern === 'string') {
      const word = normalizeKey(pattern);
      if (word !== '') words.push(word);
    } else {
      // A global or sticky RegExp keeps state between tests; a copy without those flags doesn't.
      expressions.push(new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')));
    }
  }
  return (key) => {
    const normal = normalizeKey(key);
    return words.some((w) => normal.includes(w)) || expressions.some((e) => e.test(key));
  };
}

/** The result of one redaction. */
export interface Redacted<T> {
  value: T;
  /** Values replaced by `[REDACTED]`. */
  redacted: number;
  /** Whether a bound replaced values by the marker. */
  truncated: boolean;
}

/** `Bearer …`, `Basic …` (and the other HTTP schemes that carry a credential as one token). */
const SCHEME_CREDENTIAL = /\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9._~+/=:-]{4,}/gi;
const SCHEMES = /^(Bearer|Basic|Token|Digest)$/i;
/** `key=value` / `key: value` in text, the key a whole word (not `ChargeCard.php:31`). */
const KEY_VALUE =
  /(?<![A-Za-z0-9_.-])([A-Za-z0-9_-]{1,64})(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&,;"'}]+)/g;
/** A PHP-serialized key and a number or boolean value: `s:3:"pin";i:1234;`. */
const PHP_SCALAR = /(s:\d+:"([^"]{1,128})";)(i:-?\d+|d:[^;]{1,64}|b:[01]);/g;
/** A PHP-serialized key and the head of a string value: `s:8:"password";s:7:"`. */
const PHP_STRING_HEAD = /s:\d+:"([^"]{1,128})";s:(\d{1,9}):"/g;

/** A serialized property name without the `\0*\0` / `\0Class\0` of protected and private ones. */
const propertyName = (key: string) => key.replace(/\0[^\0]*\0/, '');

/** The index in `text` just past `bytes` UTF-8 bytes from `start`; -1 past the end. */
function afterBytes(text: string, start: number, bytes: number): number {
  let i = start;
  for (let n = 0; n < bytes; i++) {
    if (i >= text.length) return -1;
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : 3;
    if (c >= 0xd800 && c < 0xdc00) i++;
  }
  return i;
}

/**
 * PHP-serialized string values of matching properties, redacted. A value is read by its declared
 * length, as PHP reads it, so quotes inside it do not end it early.
 */
function redactPhpStrings(text: string, matches: KeyMatcher): { text: string; count: number } {
  let out = '';
  let from = 0;
  let count = 0;
  for (const m of text.matchAll(PHP_STRING_HEAD)) {
    const head = m.index;
    if (head < from || !matches(propertyName(m[1] as string))) continue;
    const start = head + m[0].length;
    const end = afterBytes(text, start, Number(m[2]));
    if (end < 0 || text.slice(end, end + 2) !== '";') continue;
    const lengthAt = head + m[0].length - m[2]!.length - 2;
    out += text.slice(from, lengthAt) + `${REDACTED.length}:"${REDACTED}`;
    from = end;
    count++;
  }
  return { text: out + text.slice(from), count };
}

/** Credentials quoted inside a string, redacted; `count` is how many. */
export function redactText(text: string, matches: KeyMatcher): { text: string; count: number } {
  // PHP strings first: they are read by their declared length, which the others would change.
  const php = redactPhpStrings(text, matches);
  let count = php.count;
  const out = php.text
    .replace(SCHEME_CREDENTIAL, (_all, scheme: string) => {
      count++;
      return `${scheme} ${REDACTED}`;
    })
    .replace(KEY_VALUE, (all, key: string, sep: string, value: string) => {
      // `Authorization: Bearer [REDACTED]` was already handled by the scheme above.
      if (!matches(key) || value === REDACTED || SCHEMES.test(value)) return all;
      count++;
      return `${key}${sep}${REDACTED}`;
    })
    .replace(PHP_SCALAR, (all, head: string, key: string) => {
      if (!matches(propertyName(key))) return all;
      count++;
      return `${head}s:${REDACTED.length}:"${REDACTED}";`;
    });
  return { text: out, count };
}

/** One walk over parsed JSON: its matcher, bounds and running counts. */
class Walk {
  redacted = 0;
  truncated = false;
  private visited = 0;

  constructor(
    private readonly matches: KeyMatcher,
    private readonly bounds: RedactBounds,
  ) {}

  private marker(): string {
    this.truncated = true;
    return TRUNCATED_MARKER;
  }

  value(input: unknown, depth: number): unknown {
    if (++this.visited > this.bounds.maxEntries) return this.marker();
    if (typeof input === 'string') {
      const long = cutLong(input);
      if (long.cut) this.truncated = true;
      const { text, count } = redactText(long.text, this.matches);
      this.redacted += count;
      return text;
    }
    if (typeof input !== 'object' || input === null) return input;
    if (depth >= this.bounds.maxDepth) return this.marker();
    return Array.isArray(input) ? this.array(input, depth) : this.object(input, depth);
  }

  private array(input: unknown[], depth: number): unknown[] {
    const out: unknown[] = [];
    for (const item of input) {
      if (this.visited >= this.bounds.maxEntries) {
        out.push(this.marker());
        break;
      }
      out.push(this.value(item, depth + 1));
    }
    return out;
  }

  private object(input: object, depth: number): Record<string, unknown> {
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (this.visited >= this.bounds.maxEntries) {
        out[TRUNCATED_MARKER] = this.marker();
        break;
      }
      const item = (input as Record<string, unknown>)[key];
      if (this.matches(key) && item !== null && item !== undefined) {
        this.visited++;
        this.redacted++;
        out[key] = REDACTED;
      } else {
        out[key] = this.value(item, depth + 1);
      }
    }
    return out;
  }
}

/** `value` (parsed JSON) with matching keys' values redacted, walked within `bounds`. */
export function redactValue(
  value: unknown,
  matches: KeyMatcher,
  bounds: RedactBounds = REDACT_BOUNDS,
): Redacted<unknown> {
  const walk = new Walk(matches, bounds);
  const out = walk.value(value, 0);
  return { value: out, redacted: walk.redacted, truncated: walk.truncated };
}

/**
 * Stored text made safe to show: JSON is parsed, redacted and written again; anything else
 * (PHP-serialized, plain text, binary) stays text with its quoted credentials redacted.
 */
export function redactStored(
  stored: string,
  matches: KeyMatcher,
  bounds: RedactBounds = REDACT_BOUNDS,
): Redacted<string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    const long = cutLong(stored);
    const { text, count } = redactText(long.text, matches);
    return { value: text, redacted: count, truncated: long.cut };
  }
  const walked = redactValue(parsed, matches, bounds);
  return { ...walked, value: JSON.stringify(walked.value) ?? 'null' };
}
