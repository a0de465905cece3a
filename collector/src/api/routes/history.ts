/**
 * `GET /api/pulse/queues/history`: the short history of one service's queues, for the Pulse
 * page's sparklines. A page reads it whole once, then asks only for the points after the newest
 * it holds (`since`) once per resolution step; the live stream never carries history, so its
 * broadcasts stay the size of one snapshot however many clients draw sparklines.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps';
import { errorBody } from '../errors';
import { HistoryReplies } from '../history-replies';
import { PULSE_HISTORY_QUERY } from '../query-schemas';

interface HistoryQuerystring {
  service: string;
  queue?: string | string[];
  since?: number;
}

export function historyRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const replies = new HistoryReplies(deps.state.history);
  app.get<{ Querystring: HistoryQuerystring }>(
    '/api/pulse/queues/history',
    { schema: { querystring: PULSE_HISTORY_QUERY } },
    async (req, reply) => {
      const snapshot = deps.state.snapshot;
      if (!snapshot) return reply.code(503).send(errorBody('QUASAR_NOT_READY'));
      const { service, queue, since } = req.query;
      const queues = queue === undefined ? undefined : Array.isArray(queue) ? queue : [queue];
      const body = replies.text({
        service,
        ...(queues ? { queues } : {}),
        ...(since !== undefined ? { sinceMs: since } : {}),
      });
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
}
