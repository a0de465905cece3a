/** The Pulse read API: nodes, queues, slow log, and the live stream. */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps';
import { errorBody } from '../errors';
import type { PulseJson } from '../node-json';
import { EPOCH_MS_MAX, NO_QUERY, SERVICE_NAME, integerSchema, limitSchema } from '../query-schemas';
import { SLOW_LIMIT_DEFAULT, SLOW_LIMIT_MAX, querySlow } from '../slow-query';
import type { SseHub } from '../sse-hub';

interface SlowQuerystring {
  service?: string;
  limit?: number;
  since?: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function pulseRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  hub: SseHub,
  json: PulseJson,
): void {
  const notReady = {
    statusCode: 503,
    body: errorBody('QUASAR_NOT_READY'),
  };

  const noQuery = { schema: { querystring: NO_QUERY } };

  app.get('/api/pulse/nodes', noQuery, async (_req, reply) => {
    const snapshot = deps.state.snapshot;
    if (!snapshot) return reply.code(notReady.statusCode).send(notReady.body);
    return reply.type(JSON_TYPE).send(json.nodes(snapshot));
  });

  app.get('/api/pulse/queues', noQuery, async (_req, reply) => {
    const snapshot = deps.state.snapshot;
    if (!snapshot) return reply.code(notReady.statusCode).send(notReady.body);
    return reply.type(JSON_TYPE).send(json.queues(snapshot));
  });

  app.get<{ Querystring: SlowQuerystring }>(
    '/api/pulse/slow',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            service: SERVICE_NAME,
            limit: limitSchema(SLOW_LIMIT_MAX),
            since: integerSchema(0, EPOCH_MS_MAX),
          },
        },
      },
    },
    async (req) => {
      const services = req.query.service ? [req.query.service] : deps.state.services();
      const { entries, skipped } = await querySlow(deps.redis, {
        services,
        limit: req.query.limit ?? SLOW_LIMIT_DEFAULT,
        sinceMs: req.query.since,
      });
      return { entries, skipped };
    },
  );

  app.get('/api/pulse/stream', noQuery, (req, reply) => {
    reply.hijack();
    hub.add(reply.raw);
    req.log.debug({ clients: hub.size }, 'SSE client connected');
  });
}
