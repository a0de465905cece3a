/**
 * Who issued a command, for the audit log. The credential decides whether a request may issue
 * commands; the Grafana user headers only annotate who pressed the button, because anyone
 * holding a token can set them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Credential, Principal } from '../auth/principal';

export type { Credential };

/** What the audit's `actor` names: a credential, or the Grafana user behind it. */
export type ActorKind = 'token' | 'grafana-user';

/** The issuer as the audit records it. */
export interface Actor {
  actor: string;
  actorKind: ActorKind;
  credential: Credential;
  /** The configured token's name (`api-token`, `write-token`, or a named token's). */
  tokenName: string;
}

/** Longest user name kept: a header is client-controlled text. */
const MAX_USER_LENGTH = 256;

function clean(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // Control characters would let a header forge extra lines in a rendered audit view.
  const text = value.replace(/[\p{Cc}]/gu, '').trim();
  return text === '' ? undefined : text.slice(0, MAX_USER_LENGTH);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The user login in Grafana's `X-Grafana-Context` JSON, if it carries one. */
function contextUser(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  try {
    const context = JSON.parse(header) as Record<string, unknown> | null;
    if (typeof context !== 'object' || context === null) return undefined;
    const user = context.user as Record<string, unknown> | undefined;
    return clean(user?.login) ?? clean(context.UserLogin) ?? clean(context.login);
  } catch {
    return undefined;
  }
}

/** The actor of a request: the Grafana user when the proxy named one, else the token's name. */
export function actorOf(headers: IncomingHttpHeaders, principal: Principal): Actor {
  const { credential, name: tokenName } = principal;
  const user =
    clean(single(headers['x-grafana-user'])) ?? contextUser(single(headers['x-grafana-context']));
  if (user !== undefined) return { actor: user, actorKind: 'grafana-user', credential, tokenName };
  return { actor: tokenName, actorKind: 'token', credential, tokenName };
}
