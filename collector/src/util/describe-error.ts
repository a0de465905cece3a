/** Loggable descriptions that never include a password. */
import { parseRedisUrl, redactRedisUrl } from '@gravito/quasar';

/** An error's message with any `//user:password@` credentials masked. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\/\/([^:@/\s]*):[^/\s]*@/g, '//$1:***@');
}

/**
 * A Redis URL for the log: password masked, in the authority and in `?password=`. A cluster
 * URL (`redis+cluster://user:pass@h1:p1,h2:p2`) is no WHATWG URL: its authority is masked.
 */
export function redactUrl(url: string): string {
  if (/^rediss?\+cluster:/i.test(url)) {
    try {
      parseRedisUrl(url);
      return redactRedisUrl(url);
    } catch {
      return '(unparseable URL)';
    }
  }
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.href;
  } catch {
    return '(unparseable URL)';
  }
}
