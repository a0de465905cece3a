/** `GET /api/pulse/audit`: the audit trail, newest first, one page at a time. */
import type { FastifyInstance } from 'fastify';
import type { RedisClient } from '@gravito/quasar';
import { AUDIT_LIMIT_MAX, readAudit } from '../../commands/audit-log';
import { STREAM_ID_PATTERN, limitSchema } from '../query-schemas';

/** Entries `GET /api/pulse/audit` returns without `limit`. */
export const AUDIT_LIMIT_DEFAULT = 50;

interface AuditQuerystring {
  limit?: number;
  /** The `next` of the previous page: only entries older than this stream id. */
  before?: string;
}

/** Registers `GET /api/pulse/audit`, paged with `before` and answering a `next` cursor. */
export function auditRoutes(app: FastifyInstance, redis: RedisClient): void {
  app.get<{ Querystring: AuditQuerystring }>(
    '/api/pulse/audit',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: limitSchema(AUDIT_LIMIT_MAX),
            before: { type: 'string', maxLength: 40, pattern: STREAM_ID_PATTERN },
          },
        },
      },
    },
    async (req) =>
      readAudit(redis, {
        limit: req.query.limit ?? AUDIT_LIMIT_DEFAULT,
        ...(req.query.before !== undefined ? { before: req.query.before } : {}),
      }),
  );
}
