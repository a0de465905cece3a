/**
 * Who a request is: a configured token's name and scopes. The legacy settings map onto named
 * tokens here, and only here, so they keep exactly the meaning they had before scopes:
 *
 * - `QUASAR_API_WRITE_TOKEN` is the token `write-token`, with every scope;
 * - `QUASAR_API_TOKEN` is the token `api-token`: every scope when it is the only way to issue
 *   commands (no write token, no `--no-auth`), else `read`;
 * - `--no-auth` makes a request without a token `anonymous`, with `read` only.
 */
import { COMMAND_SCOPES, SCOPES } from './scopes';
import type { Scope } from './scopes';

/** How a request authenticated: a legacy token, a named one, or none. */
export type Credential = 'write-token' | 'api-token' | 'named-token' | 'none';

/** A token as configured: its name (audited, logged), its scopes, and its secret (never). */
export interface ApiTokenSpec {
  name: string;
  scopes: readonly Scope[];
  secret: string;
}

/** The authenticated side of a request. */
export interface Principal {
  /** Recorded in every audit entry; never the secret. */
  name: string;
  credential: Credential;
  scopes: ReadonlySet<Scope>;
}

/** The settings that decide who may do what. */
export interface AccessConfig {
  apiToken: string | undefined;
  apiWriteToken?: string | undefined;
  apiTokens?: readonly ApiTokenSpec[];
  noAuth: boolean;
}

/** The names the legacy settings take; a named token cannot use them. */
export const RESERVED_TOKEN_NAMES: readonly string[] = ['api-token', 'write-token', 'anonymous'];

const EVERY_SCOPE: ReadonlySet<Scope> = new Set(SCOPES);
const READ_ONLY: ReadonlySet<Scope> = new Set<Scope>(['read']);

/** Who a request without a token is under `--no-auth`. */
export const ANONYMOUS: Principal = { name: 'anonymous', credential: 'none', scopes: READ_ONLY };

/** Every configured secret with the principal it authenticates, legacy tokens first. */
export function principalsOf(
  config: AccessConfig,
): Array<{ secret: string; principal: Principal }> {
  const out: Array<{ secret: string; principal: Principal }> = [];
  if (config.apiWriteToken) {
    out.push({
      secret: config.apiWriteToken,
      principal: { name: 'write-token', credential: 'write-token', scopes: EVERY_SCOPE },
    });
  }
  if (config.apiToken) {
    const writes = !config.apiWriteToken && !config.noAuth;
    out.push({
      secret: config.apiToken,
      principal: {
        name: 'api-token',
        credential: 'api-token',
        scopes: writes ? EVERY_SCOPE : READ_ONLY,
      },
    });
  }
  for (const token of config.apiTokens ?? []) {
    out.push({
      secret: token.secret,
      principal: { name: token.name, credential: 'named-token', scopes: new Set(token.scopes) },
    });
  }
  return out;
}

/** Whether `principal` may issue at least one kind of command. */
export function issuesCommands(principal: Principal): boolean {
  return COMMAND_SCOPES.some((s) => principal.scopes.has(s));
}

/** How many configured tokens may issue commands: each has its own rate-limit bucket. */
export function commandTokenCount(config: AccessConfig): number {
  return principalsOf(config).filter((t) => issuesCommands(t.principal)).length;
}
