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
    !value.includes(':') &&
    !value.includes('{') &&
    !value.includes('}') &&
    !UNSAFE_IN_ANY_NAME.test(value)
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
    !UNSAFE_IN_ANY_NAME.test(value)
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
