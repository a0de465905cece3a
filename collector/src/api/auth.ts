/**
 * Bearer-token check for `/api/*`. Both sides are hashed first, so the comparison is constant
 * time whatever the lengths, and the token never appears in a log or an error.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Returns a checker for the `Authorization` header value. */
export function bearerChecker(token: string): (header: string | undefined) => boolean {
  const expected = digest(token);
  return (header) => {
    if (typeof header !== 'string') return false;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return false;
    return timingSafeEqual(digest(match[1] as string), expected);
  };
}
