/** Loggable descriptions that never include a password. */

/** An error's message with any `//user:password@` credentials masked. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\/\/([^:@/\s]*):[^/\s]*@/g, '//$1:***@');
}

/** A Redis URL for the log: password masked, in the authority and in `?password=`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.href;
  } catch {
    return '(unparseable URL)';
  }
}
