/**
 * Who is asking. Grafana knows its signed-in user; the standalone server has one configured
 * identity, and above Viewer that identity is worth stealing: any local process (or a page in a
 * browser) could otherwise retry and delete jobs. So, like Jupyter, the server makes a secret at
 * start and prints a sign-in URL holding it; opening that URL sets an HttpOnly, SameSite=Strict
 * session cookie, and only requests carrying that cookie get the configured role. Everyone else
 * is an anonymous Viewer.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ORG_ROLES, type OrgRole, type PulseWebConfig } from './options';

/** What a request may do, and who the proxy says it is. */
export interface Identity {
  role: OrgRole;
  /** The login sent as `X-Grafana-User`; undefined for an anonymous Viewer, as in Grafana. */
  user: string | undefined;
  /** Whether opening the sign-in URL would give this browser a higher role. */
  canSignIn: boolean;
}

/** The sign-in secret and the session cookie it leads to. */
export interface Sessions {
  /** The secret of the sign-in URL; undefined when the role is Viewer (nothing to protect). */
  readonly token: string | undefined;
  /** The identity of a request, from its session cookie. */
  identityOf(req: IncomingMessage): Identity;
  /** Whether `candidate` is the sign-in token. */
  tokenMatches(candidate: string): boolean;
  /** The `Set-Cookie` value that signs a browser in. */
  readonly setCookie: string;
}

/** Cookies looked at per request, at most: the header is bounded, this bounds the work. */
const MAX_COOKIES = 64;

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Constant-time equality of two strings of any lengths. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The value of cookie `name` in a `Cookie` header, if present. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const prefix = `${name}=`;
  for (const part of header.split(';', MAX_COOKIES)) {
    const cookie = part.trim();
    if (cookie.startsWith(prefix)) return cookie.slice(prefix.length);
  }
  return undefined;
}

/** Sessions for a server listening on `port` (the cookie's name, as cookies ignore ports). */
export function createSessions(config: PulseWebConfig, port: number): Sessions {
  const protectedRole = ORG_ROLES.indexOf(config.role) > ORG_ROLES.indexOf('Viewer');
  const token = protectedRole
    ? (config.signInToken ?? randomBytes(32).toString('base64url'))
    : undefined;
  // The cookie holds a value derived from the token, not the token: the URL may sit in a
  // browser's history, the cookie's value is never shown.
  const session = token
    ? createHmac('sha256', token).update('quasar-pulse-web session').digest('base64url')
    : undefined;
  const cookieName = `quasar_pulse_${port}`;
  const viewer: Identity = { role: 'Viewer', user: undefined, canSignIn: true };
  const configured: Identity = { role: config.role, user: config.user, canSignIn: false };
  return {
    token,
    setCookie: `${cookieName}=${session ?? ''}; Path=/; HttpOnly; SameSite=Strict`,
    tokenMatches: (candidate) => token !== undefined && sameSecret(candidate, token),
    identityOf(req) {
      if (session === undefined) return configured;
      const value = cookieValue(req.headers.cookie, cookieName);
      return value !== undefined && sameSecret(value, session) ? configured : viewer;
    },
  };
}
