/** Small synchronous file reads for /proc and /sys, relative to a configurable root. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a text file under `root`, or returns undefined when it does not exist or is unreadable. */
export function readText(root: string, path: string): string | undefined {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
}

/** Parses `key value` lines (memory.stat, cpu.stat) or `Key: value kB` lines (meminfo). */
export function parseKeyValues(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([\w()]+):?\s+(\d+)(\s+kB)?/.exec(line);
    if (match?.[1] && match[2]) {
      out.set(match[1], Number(match[2]) * (match[3] ? 1024 : 1));
    }
  }
  return out;
}
