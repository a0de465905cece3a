/**
 * The `/api/*` guard: who the request is (kept on `req.principal` for the routes), and the
 * refusal, with its stable code, when it may not go on. Other paths pass untouched.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessControl, Refusal } from './auth';
import { errorBody, missingScopeBody } from './errors';

/** Why `--no-auth` alone never opens the command route. */
const WRITES_CLOSED =
  '--no-auth opens the read routes only: set QUASAR_API_WRITE_TOKEN to issue commands';

/** How many `Authorization` headers a request carries (Node's `headers` keeps the first). */
export function authorizationCount(raw: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() === 'authorization') count += 1;
  }
  return count;
}

function refuse(reply: FastifyReply, refusal: Refusal) {
  switch (refusal.kind) {
    case 'write-token-required':
      return reply.code(403).send(errorBody('QUASAR_WRITE_TOKEN_REQUIRED'));
    case 'writes-closed':
      return reply.code(403).send(errorBody('QUASAR_WRITE_TOKEN_REQUIRED', WRITES_CLOSED));
    case 'read-only':
      return reply.code(403).send(errorBody('QUASAR_READ_ONLY'));
    case 'missing-scope':
      return reply.code(403).send(missingScopeBody(refusal.scope, 'this route'));
    case 'unauthorized':
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="quasar"')
        .send(errorBody('QUASAR_UNAUTHORIZED'));
  }
}

/** The header by which a request restricts itself to reading (Grafana's read-only switch). */
export const READ_ONLY_HEADER = 'x-quasar-read-only';

/**
 * Whether a request asked to be read-only: any `X-Quasar-Read-Only` value (repeated ones are
 * joined with commas) that reads `true`. Anything else, `false` or Go's `<no value>` included,
 * leaves the request as it is: the header can only take rights away.
 */
export function asksReadOnly(value: string | string[] | undefined): boolean {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined
    .slice(0, 256)
    .split(',')
    .some((part) => part.trim().toLowerCase() === 'true');
}

/** The `onRequest` hook guarding `/api/*` with `access`. */
export function authHook(access: AccessControl) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    // The matched route, not the raw URL: the router decodes `/%61pi/…` to `/api/…`.
    if (!(req.routeOptions.url ?? req.url).startsWith('/api/')) return;
    const write = req.routeOptions.config?.write === true;
    const count = authorizationCount(req.raw.rawHeaders);
    const principal = access.principalOf(req.headers.authorization, count);
    if (req.routeOptions.config?.anyScope === true && principal !== undefined) {
      req.principal = principal;
      return;
    }
    const readOnly = asksReadOnly(req.headers[READ_ONLY_HEADER]);
    const scopes = req.routeOptions.config?.scopes;
    const refusal = access.refusal(principal, write, { readOnly, ...(scopes ? { scopes } : {}) });
    if (refusal === undefined) {
      req.principal = principal;
      return;
    }
    return refuse(reply, refusal);
  };
}
