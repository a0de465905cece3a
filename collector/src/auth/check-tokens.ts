/**
 * Checks a set of tokens once, at start: names are unique, well formed and not one of the
 * legacy names; no named token shares its secret; named secrets are long enough to resist
 * guessing. Messages name the token, never its secret.
 */
import { RESERVED_TOKEN_NAMES } from './principal';
import type { Principal } from './principal';

/** A token's name: shown in the audit and the logs, so plain and bounded. */
export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Named tokens configured at most. */
export const MAX_NAMED_TOKENS = 64;
/** Shortest and longest secret of a named token, characters. */
export const MIN_SECRET_LENGTH = 16;
export const MAX_SECRET_LENGTH = 1024;
/** Characters a bearer token is made of (RFC 6750 `b64token`). */
const SECRET = /^[A-Za-z0-9\-._~+/]+=*$/;

/** A token set that cannot be served; the message names the token, never its secret. */
export class TokenConfigError extends Error {
  override name = 'TokenConfigError';
}

/** Throws {@link TokenConfigError} on the first problem in `tokens`. */
export function checkTokens(tokens: ReadonlyArray<{ secret: string; principal: Principal }>): void {
  const names = new Set<string>();
  // Secret → whether a named token holds it. Two legacy tokens may share one (the write token
  // then wins, as it always did); a named token never shares its secret.
  const secrets = new Map<string, boolean>();
  const named = tokens.filter((t) => t.principal.credential === 'named-token');
  if (named.length > MAX_NAMED_TOKENS) {
    throw new TokenConfigError(`at most ${MAX_NAMED_TOKENS} named tokens, got ${named.length}`);
  }
  for (const { secret, principal } of tokens) {
    const name = principal.name;
    if (principal.credential === 'named-token') {
      if (!TOKEN_NAME.test(name)) {
        throw new TokenConfigError(
          `token name ${JSON.stringify(name.slice(0, 64))}: expected 1-64 letters, digits, ".", "_" or "-"`,
        );
      }
      if (RESERVED_TOKEN_NAMES.includes(name)) {
        throw new TokenConfigError(`token name "${name}" is reserved for the legacy settings`);
      }
      if (secret.length < MIN_SECRET_LENGTH || secret.length > MAX_SECRET_LENGTH) {
        throw new TokenConfigError(
          `token "${name}": its secret must be ${MIN_SECRET_LENGTH} to ${MAX_SECRET_LENGTH} characters`,
        );
      }
      if (!SECRET.test(secret)) {
        throw new TokenConfigError(
          `token "${name}": its secret may hold letters, digits and - . _ ~ + / (then =) only`,
        );
      }
      if (principal.scopes.size === 0) throw new TokenConfigError(`token "${name}": no scope`);
    }
    if (names.has(name)) throw new TokenConfigError(`token name "${name}" is used twice`);
    const isNamed = principal.credential === 'named-token';
    const other = secrets.get(secret);
    if (other !== undefined && (other || isNamed)) {
      throw new TokenConfigError(`token "${name}" has the same secret as another token`);
    }
    names.add(name);
    secrets.set(secret, isNamed);
  }
}
