/**
 * Size and depth checks for parsed JSON. `JSON.parse` copes with 100,000 levels of nesting,
 * but every recursive consumer after it (`JSON.stringify`, a spread, a React render) overflows
 * the stack, so a value is walked here before anything else touches it. The walk recurses, but
 * never deeper than the bound it checks, so it cannot overflow itself.
 */
import type { JsonBounds } from './limits';

/**
 * The number of entries (object members plus array elements) in `value`, or `undefined` as
 * soon as it is nested deeper than `bounds.maxDepth` or holds more than `bounds.maxEntries`.
 * A primitive has 0 entries. Runs in O(min(entries, maxEntries)) time.
 */
export function countEntries(value: unknown, bounds: JsonBounds): number | undefined {
  let entries = 0;
  /** False as soon as a bound is exceeded, which ends the whole walk. */
  const walk = (item: object, depth: number): boolean => {
    if (depth > bounds.maxDepth) return false;
    if (Array.isArray(item)) {
      entries += item.length;
      if (entries > bounds.maxEntries) return false;
      for (let i = 0; i < item.length; i++) {
        const child: unknown = item[i];
        if (typeof child === 'object' && child !== null && !walk(child, depth + 1)) return false;
      }
      return true;
    }
    // JSON.parse makes only own, enumerable members; Object.prototype has none enumerable.
    for (const key in item) {
      if (++entries > bounds.maxEntries) return false;
      const child: unknown = (item as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null && !walk(child, depth + 1)) return false;
    }
    return true;
  };
  if (typeof value !== 'object' || value === null) return 0;
  return walk(value, 1) ? entries : undefined;
}

/** Whether `value` fits `bounds`. */
export function fitsBounds(value: unknown, bounds: JsonBounds): boolean {
  return countEntries(value, bounds) !== undefined;
}
