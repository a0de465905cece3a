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

/** The `onRequest` hook guarding `/api/*` with `access`. */
export function authHook(access: AccessControl) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    // The matched route, not the raw URL: the router decodes `/%61pi/…` to `/api/…`.
    if (!(req.routeOptions.url ?? req.url).startsWith('/api/')) return;
    const write = req.routeOptions.config?.write === true;
    const count = authorizationCount(req.raw.rawHeaders);
    const principal = access.principalOf(req.headers.authorization, count);
    const refusal = access.refusal(principal, write, req.routeOptions.config?.scopes);
    if (refusal === undefined) {
      req.principal = principal;
      return;
    }
    return refuse(reply, refusal);
  };
}
