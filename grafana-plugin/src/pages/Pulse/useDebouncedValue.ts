/** A value that follows `value` once it has stopped changing for `delayMs`. */
import { useEffect, useState } from 'react';

/** Typing a search reopens the collector's stream once, after the typing, not per key. */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
