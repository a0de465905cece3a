/**
 * Size and depth checks for parsed JSON. `JSON.parse` copes with 100,000 levels of nesting,
 * but every recursive consumer after it (`JSON.stringify`, a spread, a React render) overflows
 * the stack, so a value is walked here, without recursion, before anything else touches it.
 */
import type { JsonBounds } from './limits';

/**
 * The number of entries (object members plus array elements) in `value`, or `undefined` as
 * soon as it is nested deeper than `bounds.maxDepth` or holds more than `bounds.maxEntries`.
 * A primitive has 0 entries. Runs in O(min(entries, maxEntries)) time and memory.
 */
export function countEntries(value: unknown, bounds: JsonBounds): number | undefined {
  let entries = 0;
  const pending: unknown[] = [value];
  const depths: number[] = [1];
  while (pending.length > 0) {
    const item = pending.pop();
    const depth = depths.pop() as number;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > bounds.maxDepth) return undefined;
    const children: readonly unknown[] = Array.isArray(item) ? item : Object.values(item);
    entries += children.length;
    if (entries > bounds.maxEntries) return undefined;
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        pending.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return entries;
}

/** Whether `value` fits `bounds`. */
export function fitsBounds(value: unknown, bounds: JsonBounds): boolean {
  return countEntries(value, bounds) !== undefined;
}
