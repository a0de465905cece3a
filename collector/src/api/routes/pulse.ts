/** The Pulse read API: nodes, queues, slow log, and the live stream. */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps';
import { errorBody } from '../errors';
import type { PulseJson } from '../node-json';
import { decodeCursor } from '../pulse-cursor';
import { pulseFilterOf } from '../pulse-filter';
import type { PulseQuerystring } from '../pulse-filter';
import {
  EPOCH_MS_MAX,
  PULSE_NODES_QUERY,
  PULSE_QUEUES_QUERY,
  PULSE_STREAM_QUERY,
  SERVICE_NAME,
  integerSchema,
  limitSchema,
} from '../query-schemas';
import { SLOW_LIMIT_DEFAULT, SLOW_LIMIT_MAX, querySlow } from '../slow-query';
import type { SseHub } from '../sse-hub';

interface SlowQuerystring {
  service?: string;
  limit?: number;
  since?: number;
}

interface NodesQuerystring extends PulseQuerystring {
  limit?: number;
  cursor?: string;
}

interface StreamQuerystring extends PulseQuerystring {
  delta?: '0' | '1';
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

  app.get<{ Querystring: NodesQuerystring }>(
    '/api/pulse/nodes',
    { schema: { querystring: PULSE_NODES_QUERY } },
    async (req, reply) => {
      const { limit, cursor, ...filters } = req.query;
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      if (cursor !== undefined && after === undefined) {
        return reply.code(400).send(errorBody('QUASAR_BAD_REQUEST', 'invalid cursor'));
      }
      const snapshot = deps.state.snapshot;
      if (!snapshot) return reply.code(notReady.statusCode).send(notReady.body);
      const filter = pulseFilterOf(filters, limit !== undefined || cursor !== undefined);
      const body = filter.parameterised
        ? json.filteredNodes(snapshot, filter, { after, limit })
        : json.nodes(snapshot);
      return reply.type(JSON_TYPE).send(body);
    },
  );

  app.get<{ Querystring: Pick<PulseQuerystring, 'service'> }>(
    '/api/pulse/queues',
    { schema: { querystring: PULSE_QUEUES_QUERY } },
    async (req, reply) => {
      const snapshot = deps.state.snapshot;
      if (!snapshot) return reply.code(notReady.statusCode).send(notReady.body);
      const filter = pulseFilterOf(req.query);
      const body = filter.parameterised
        ? json.filteredQueues(snapshot, filter)
        : json.queues(snapshot);
      return reply.type(JSON_TYPE).send(body);
    },
  );

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

  app.get<{ Querystring: StreamQuerystring }>(
    '/api/pulse/stream',
    { schema: { querystring: PULSE_STREAM_QUERY } },
    (req, reply) => {
      const { delta, ...filters } = req.query;
      const filter = pulseFilterOf(filters, delta !== undefined);
      const refusal = hub.refusal(filter);
      if (refusal) {
        req.log.debug({ refusal, clients: hub.size }, 'SSE client refused');
        return reply
          .code(503)
          .header('retry-after', '30')
          .send(errorBody('QUASAR_TOO_MANY_STREAMS'));
      }
      reply.hijack();
      hub.add(reply.raw, { filter, delta: delta === '1' });
      req.log.debug({ clients: hub.size }, 'SSE client connected');
    },
  );
}
