/**
 * Finds which configured token an `Authorization` header carries. Every secret is hashed once,
 * the presented token is hashed, and the digest is compared with every configured one in
 * constant time, without stopping at a match: how long a check takes says nothing about which
 * token matched, how much of it, or how long it is. Tokens never appear in a log or an error.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from './principal';

/** Longest `Authorization` value examined; longer ones are refused without hashing. */
export const MAX_AUTHORIZATION_LENGTH = 4096;

/** Compares two digests of equal length; `timingSafeEqual` unless a test watches it. */
export type DigestCompare = (a: Buffer, b: Buffer) => boolean;

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The token of a `Bearer` header, or undefined for any other shape. */
export function bearerToken(header: string | undefined): string | undefined {
  if (typeof header !== 'string' || header.length > MAX_AUTHORIZATION_LENGTH) return undefined;
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** The configured tokens, by digest. */
export class TokenTable {
  private readonly entries: ReadonlyArray<{ digest: Buffer; principal: Principal }>;

  constructor(
    tokens: ReadonlyArray<{ secret: string; principal: Principal }>,
    private readonly compare: DigestCompare = timingSafeEqual,
  ) {
    this.entries = tokens.map((t) => ({ digest: digest(t.secret), principal: t.principal }));
  }

  /** Who the header authenticates, or undefined when it carries no configured token. */
  identify(header: string | undefined): Principal | undefined {
    const token = bearerToken(header);
    if (token === undefined) return undefined;
    const presented = digest(token);
    let found: Principal | undefined;
    for (const entry of this.entries) {
      // No early exit: the loop's length never depends on where (or whether) it matched.
      if (this.compare(presented, entry.digest) && found === undefined) found = entry.principal;
    }
    return found;
  }

  /** How many tokens are configured. */
  get size(): number {
    return this.entries.length;
  }
}
