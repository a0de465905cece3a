/** Loads the original agents' payloads, kept byte for byte in test/fixtures/originals. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ORIGINALS_DIR = join(__dirname, '..', 'fixtures', 'originals');

export function original(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ORIGINALS_DIR, name), 'utf8')) as Record<string, unknown>;
}

/** A deep copy with `patch` applied at a dotted path (`undefined` deletes the field). */
export function variant(
  base: Record<string, unknown>,
  path: string,
  patch: unknown,
): Record<string, unknown> {
  const copy = structuredClone(base);
  const parts = path.split('.');
  let cursor: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) cursor = cursor[part] as Record<string, unknown>;
  const last = parts[parts.length - 1] as string;
  if (patch === undefined) delete cursor[last];
  else cursor[last] = patch;
  return copy;
}
