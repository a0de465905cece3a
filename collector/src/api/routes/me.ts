/**
 * `GET /api/pulse/me`: who the request authenticated as and whether it may issue commands, so a
 * page can hide what the collector would refuse. Names and scopes only, never a secret; any known
 * token may ask, whatever its scopes.
 */
import type { FastifyInstance } from 'fastify';
import { ANONYMOUS } from '../../auth/principal';
import { SCOPES } from '../../auth/scopes';
import type { Credential } from '../../auth/principal';
import type { Scope } from '../../auth/scopes';
import { READ_ONLY_HEADER, asksReadOnly } from '../auth-hook';
import { NO_QUERY } from '../query-schemas';

/** The body of `GET /api/pulse/me`. */
export interface MeReply {
  /** The token's name, as the audit records it. */
  token: string;
  credential: Credential;
  /** The token's scopes, in the order of `SCOPES`. */
  scopes: Scope[];
  /** The collector runs `--read-only`, or the request asked to be (`X-Quasar-Read-Only`). */
  readOnly: boolean;
}

/** Registers `GET /api/pulse/me`; `readOnly` is the collector's `--read-only`. */
export function meRoutes(app: FastifyInstance, readOnly: boolean): void {
  app.get(
    '/api/pulse/me',
    { config: { anyScope: true }, schema: { querystring: NO_QUERY } },
    (req): MeReply => {
      const principal = req.principal ?? ANONYMOUS;
      return {
        token: principal.name,
        credential: principal.credential,
        scopes: SCOPES.filter((s) => principal.scopes.has(s)),
        readOnly: readOnly || asksReadOnly(req.headers[READ_ONLY_HEADER]),
      };
    },
  );
}
