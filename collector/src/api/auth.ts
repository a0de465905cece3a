/**
 * Who may use a route. Read routes need the scope `read`, or the scopes the route names
 * (`config.scopes`: one of them). The command route needs a known token
 * (and refuses every one in read-only mode), then the scope of the command's type, checked once
 * the body is parsed (`routes/commands.ts`). The legacy refusals keep their codes.
 */
import { checkTokens } from '../auth/check-tokens';
import { ANONYMOUS, issuesCommands, principalsOf } from '../auth/principal';
import type { AccessConfig, Principal } from '../auth/principal';
import type { Scope } from '../auth/scopes';
import { TokenTable } from '../auth/token-table';
import type { DigestCompare } from '../auth/token-table';

/** Why a request is refused before its handler runs, or undefined when it may go on. */
export type Refusal =
  /** 401: no token, an unknown one, or a malformed header. */
  | { kind: 'unauthorized' }
  /** 403: the legacy API token on the command route while a write token is set. */
  | { kind: 'write-token-required' }
  /** 403: `--no-auth` and no token may issue commands: the command route is closed to all. */
  | { kind: 'writes-closed' }
  /** 403: read-only mode refuses every command. */
  | { kind: 'read-only' }
  /** 403: the token lacks the scope the route needs. */
  | { kind: 'missing-scope'; scope: Scope };

const READ: readonly Scope[] = ['read'];

/** The collector-wide switches the decision reads. */
export interface AccessPolicy {
  noAuth: boolean;
  /** Refuse every command (`--read-only`). */
  readOnly: boolean;
  /** Whether some configured token holds a command scope. */
  commandsOpen: boolean;
}

/** What a request's route and headers add to the policy. */
export interface RequestLimits {
  /** The request's own restriction (`X-Quasar-Read-Only`), which a client may set, never lift. */
  readOnly?: boolean;
  /** A read route's scopes, one of which is needed (the first is named by a refusal). */
  scopes?: readonly Scope[];
}

/**
 * Whether `principal` (undefined: no configured token; the anonymous principal under
 * `--no-auth`) may use a read route or the command route, under the request's `limits`.
 */
export function refusalOf(
  principal: Principal | undefined,
  write: boolean,
  policy: AccessPolicy,
  request: RequestLimits = {},
): Refusal | undefined {
  const { readOnly = false, scopes = READ } = request;
  if (!write) {
    if (principal === undefined) return { kind: 'unauthorized' };
    if (scopes.some((s) => principal.scopes.has(s))) return undefined;
    return { kind: 'missing-scope', scope: scopes[0] ?? 'read' };
  }
  if (policy.noAuth && !policy.commandsOpen) return { kind: 'writes-closed' };
  if (principal === undefined || principal.credential === 'none') return { kind: 'unauthorized' };
  if (policy.readOnly || readOnly) return { kind: 'read-only' };
  if (!issuesCommands(principal) && principal.credential === 'api-token') {
    return { kind: 'write-token-required' };
  }
  return undefined;
}

/** The configured tokens and switches, asked once per `/api/*` request. */
export class AccessControl {
  private readonly table: TokenTable;
  private readonly policy: AccessPolicy;

  /** Throws `TokenConfigError` when the tokens cannot be served (see `checkTokens`). */
  constructor(
    private readonly config: AccessConfig & { readOnly?: boolean },
    compare?: DigestCompare,
  ) {
    const tokens = principalsOf(config);
    checkTokens(tokens);
    this.table = new TokenTable(tokens, compare);
    this.policy = {
      noAuth: config.noAuth,
      readOnly: config.readOnly === true,
      commandsOpen: tokens.some((t) => issuesCommands(t.principal)),
    };
  }

  /**
   * Who sent `authorization`, one of `count` such headers. Node keeps only the first of
   * repeated headers, so more than one is refused rather than guessed at.
   */
  principalOf(authorization: string | undefined, count = 1): Principal | undefined {
    if (count > 1) return undefined;
    return this.table.identify(authorization) ?? (this.config.noAuth ? ANONYMOUS : undefined);
  }

  /**
   * Why `principal` may not use a read route (`write` false; one of `request.scopes` needed,
   * `read` by default) or the command route.
   */
  refusal(
    principal: Principal | undefined,
    write: boolean,
    request: RequestLimits = {},
  ): Refusal | undefined {
    return refusalOf(principal, write, this.policy, request);
  }

  /** Whether the collector runs `--read-only`. */
  get readOnly(): boolean {
    return this.policy.readOnly;
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route changes state (issues commands): it needs a token holding a command scope. */
    write?: boolean;
    /** The route answers any known token, whatever its scopes (`/api/pulse/me`). */
    anyScope?: boolean;
    /**
     * A read route that needs one of these scopes instead of `read` (the first is the one a
     * refusal names). @default ['read']
     */
    scopes?: readonly Scope[];
  }
  interface FastifyRequest {
    /** Who the request authenticated as; set by the `/api/*` hook before any route hook. */
    principal?: Principal;
  }
}
