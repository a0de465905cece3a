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

/** The tokens `/api/*` accepts. */
export interface ApiTokens {
  /** Accepted on every route, and on write routes too unless `apiWriteToken` is set. */
  apiToken: string | undefined;
  /** When set, the only token write routes (commands) accept. */
  apiWriteToken?: string;
}

/** Which configured token an `Authorization` header carries, if any. */
export function credentialChecker(
  tokens: ApiTokens,
): (header: string | undefined) => 'write-token' | 'api-token' | undefined {
  const isWrite = tokens.apiWriteToken ? bearerChecker(tokens.apiWriteToken) : () => false;
  const isApi = tokens.apiToken ? bearerChecker(tokens.apiToken) : () => false;
  return (header) => {
    if (isWrite(header)) return 'write-token';
    if (isApi(header)) return 'api-token';
    return undefined;
  };
}

/** Why a request is refused, or undefined when it may go on. */
export type Refusal = 'unauthorized' | 'write-token-required' | 'writes-closed';

/**
 * Whether a request with `credential` may use a route. Read routes take either token, or none
 * with `noAuth`. Write routes take the write token when one is configured, else the API token;
 * `noAuth` never opens them, so with `noAuth` and no write token they are closed to everyone.
 */
export function refusalOf(
  credential: 'write-token' | 'api-token' | undefined,
  write: boolean,
  config: { noAuth: boolean; apiWriteToken?: string },
): Refusal | undefined {
  if (!write) return config.noAuth || credential !== undefined ? undefined : 'unauthorized';
  if (config.apiWriteToken) {
    if (credential === 'write-token') return undefined;
    return credential === 'api-token' ? 'write-token-required' : 'unauthorized';
  }
  if (config.noAuth) return 'writes-closed';
  return credential === 'api-token' ? undefined : 'unauthorized';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route changes state (issues commands): it may need the write token. */
    write?: boolean;
  }
}
