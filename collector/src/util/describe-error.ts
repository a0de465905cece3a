/** A loggable description of an error that never includes a URL's password. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\/\/([^:@/]*):[^@/]*@/g, '//$1:***@');
}
