/**
 * The grammar of the names that appear inside keys: service names and node ids. Every reader
 * checks data-derived names against it before a name reaches a key, a metric attribute or a
 * map, so a hostile or broken agent cannot smuggle in a 5 MB id, a glob, or a key of another
 * namespace.
 */

/** Longest service name: longer ones are refused by the SDK and ignored by the collector. */
export const MAX_SERVICE_LENGTH = 128;
/** Longest node id (`{name or hostname}-{pid}`). */
export const MAX_NODE_ID_LENGTH = 256;

/**
 * Characters no name may hold: whitespace and control characters, and the glob characters of
 * `SCAN MATCH`/`PSUBSCRIBE` patterns, which would make a key match others'.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const UNSAFE_IN_ANY_NAME = /[\s\u0000-\u001f\u007f*?[\]\\]/;

/** Per ASCII code unit, 1 when {@link UNSAFE_IN_ANY_NAME} refuses it. */
const UNSAFE_ASCII = asciiTable((c) => UNSAFE_IN_ANY_NAME.test(c));
/** The same, plus what a service name may not hold besides: `:`, `{` and `}`. */
const UNSAFE_ASCII_IN_SERVICE = asciiTable((c) => UNSAFE_IN_ANY_NAME.test(c) || ':{}'.includes(c));

function asciiTable(unsafe: (char: string) => boolean): Uint8Array {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) table[c] = unsafe(String.fromCharCode(c)) ? 1 : 0;
  return table;
}

/**
 * Whether `value` holds none of the characters `unsafe` marks nor any `UNSAFE_IN_ANY_NAME`
 * refuses. Names are checked for every node of every cycle, so ASCII is looked up in a table;
 * a name with any other character is also tested against the pattern, which alone knows the
 * Unicode spaces.
 */
function isSafe(value: string, unsafe: Uint8Array): boolean {
  let ascii = true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128) ascii = false;
    else if (unsafe[c] === 1) return false;
  }
  return ascii || !UNSAFE_IN_ANY_NAME.test(value);
}

/**
 * Whether `value` is a valid service name: 1–128 characters, no whitespace or control
 * characters, no `:` (the key separator), no glob characters, and no `{` or `}` (the v2
 * layout puts the service in a Redis Cluster hash tag, which a brace would break).
 */
export function isServiceName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_SERVICE_LENGTH &&
    isSafe(value, UNSAFE_ASCII_IN_SERVICE)
  );
}

/**
 * Whether `value` is a valid node id: 1–256 characters, no whitespace or control characters and
 * no glob characters. A `:` is allowed (hostnames of the originals may carry one): keys split at
 * the first `:` after the service.
 */
export function isNodeId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_NODE_ID_LENGTH &&
    isSafe(value, UNSAFE_ASCII)
  );
}

/**
 * Names that are members of `Object.prototype` (`constructor`, `__proto__`, `toString`, …).
 * Quasar's own readers index data by name in prototype-free maps, but the original dashboard
 * groups nodes by service in a plain object, so the SDK refuses these as service names.
 */
export const PROTOTYPE_MEMBER_NAMES: ReadonlySet<string> = new Set(
  Object.getOwnPropertyNames(Object.prototype),
);
