/**
 * Size and depth checks for parsed JSON. `JSON.parse` copes with 100,000 levels of nesting,
 * but every recursive consumer after it (`JSON.stringify`, a spread, a React render) overflows
 * the stack, so a value is walked here before anything else touches it. The walk recurses, but
 * never deeper than the bound it checks, so it cannot overflow itself.
 */
import type { JsonBounds } from './limits';

/**
 * Walks `item` with `depthLeft` levels and `budget` entries to spend: the budget left, or -1 as
 * soon as either runs out. A plain function rather than a closure over a counter: it runs for
 * every heartbeat of every cycle, and allocates nothing.
 */
function spend(item: object, depthLeft: number, budget: number): number {
  if (depthLeft === 0) return -1;
  if (Array.isArray(item)) {
    budget -= item.length;
    if (budget < 0) return -1;
    for (let i = 0; i < item.length; i++) {
      const child: unknown = item[i];
      if (typeof child === 'object' && child !== null) {
        budget = spend(child, depthLeft - 1, budget);
        if (budget < 0) return -1;
      }
    }
    return budget;
  }
  // JSON.parse makes only own, enumerable members; Object.prototype has none enumerable.
  for (const key in item) {
    if (--budget < 0) return -1;
    const child: unknown = (item as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null) {
      budget = spend(child, depthLeft - 1, budget);
      if (budget < 0) return -1;
    }
  }
  return budget;
}

/**
 * The number of entries (object members plus array elements) in `value`, or `undefined` as
 * soon as it is nested deeper than `bounds.maxDepth` or holds more than `bounds.maxEntries`.
 * A primitive has 0 entries. Runs in O(min(entries, maxEntries)) time.
 */
export function countEntries(value: unknown, bounds: JsonBounds): number | undefined {
  if (typeof value !== 'object' || value === null) return 0;
  const left = spend(value, bounds.maxDepth, bounds.maxEntries);
  return left < 0 ? undefined : bounds.maxEntries - left;
}

/** Whether `value` fits `bounds`. */
export function fitsBounds(value: unknown, bounds: JsonBounds): boolean {
  return countEntries(value, bounds) !== undefined;
}
