/**
 * The original agents' payloads (kept byte for byte in the SDK's test fixtures), with a fresh
 * timestamp so they read as live.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Heartbeat } from '@gravito/quasar/schema';

const DIR = join(__dirname, '..', '..', '..', 'sdk', 'test', 'fixtures', 'originals');

export const ORIGINAL_FILES = {
  goLaravel: 'heartbeat-go-agent-laravel.json',
  nodeBun: 'heartbeat-node-sdk-bun.json',
} as const;

/** An original payload, parsed, with `timestamp` set to `now` (and any overrides). */
export function original(
  which: keyof typeof ORIGINAL_FILES,
  overrides: Partial<Heartbeat> = {},
  now = Date.now(),
): Heartbeat {
  const raw = JSON.parse(readFileSync(join(DIR, ORIGINAL_FILES[which]), 'utf8')) as Heartbeat;
  return { ...raw, timestamp: now, ...overrides };
}
