/**
 * Size and depth checks for parsed JSON. `JSON.parse` copes with 100,000 levels of nesting,
 * but every recursive consumer after it (`JSON.stringify`, a spread, a React render) overflows
 * the stack, so a value is walked here before anything else touches it. The walk recurses, but
 * never deeper than the bound it checks, so it cannot overflow itself.
 */
import type { JsonBounds } from './limits';

/** Thrown inside the walk to stop it at the first bound exceeded. */
const EXCEEDED = Symbol('exceeded');

/**
 * The number of entries (object members plus array elements) in `value`, or `undefined` as
 * soon as it is nested deeper than `bounds.maxDepth` or holds more than `bounds.maxEntries`.
 * A primitive has 0 entries. Runs in O(min(entries, maxEntries)) time.
 */
export function countEntries(value: unknown, bounds: JsonBounds): number | undefined {
  let entries = 0;
  const walk = (item: object, depth: number): void => {
    if (depth > bounds.maxDepth) throw EXCEEDED;
    if (Array.isArray(item)) {
      entries += item.length;
      if (entries > bounds.maxEntries) throw EXCEEDED;
      for (let i = 0; i < item.length; i++) {
        const child: unknown = item[i];
        if (typeof child === 'object' && child !== null) walk(child, depth + 1);
      }
      return;
    }
    // JSON.parse makes only own, enumerable members; Object.prototype has none enumerable.
    for (const key in item) {
      if (++entries > bounds.maxEntries) throw EXCEEDED;
      const child: unknown = (item as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) walk(child, depth + 1);
    }
  };
  if (typeof value !== 'object' || value === null) return 0;
  try {
    walk(value, 1);
  } catch (error) {
    if (error === EXCEEDED) return undefined;
    throw error;
  }
  return entries;
}

/** Whether `value` fits `bounds`. */
export function fitsBounds(value: unknown, bounds: JsonBounds): boolean {
  return countEntries(value, bounds) !== undefined;
}
