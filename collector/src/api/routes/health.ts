/** Liveness, readiness and the collector's own metrics: no token, as probes and scrapers expect. */
import type { FastifyInstance } from 'fastify';
import { renderPrometheus } from '../../self/prometheus-text';
import type { Family } from '../../self/prometheus-text';
import { statsFamilies } from '../../self/stats';
import type { ApiDeps } from '../deps';
import { errorBody } from '../errors';
import type { PulseJson } from '../node-json';
import type { SseHub } from '../sse-hub';

const READY_TIMEOUT_MS = 1000;

/** The parts of the app whose counters `/metrics` adds to the collector's own. */
export interface ServingParts {
  hub: SseHub;
  json: PulseJson;
}

/**
 * `extraFamilies` adds the API's own counters (the command rate limit's refusals) to the
 * collector's on `/metrics`.
 */
export function healthRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  parts: ServingParts,
  extraFamilies: () => Family[] = () => [],
): void {
  app.get('/healthz', () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const ping = deps.redis.ping();
    const timeout = new Promise<never>((_, reject) => {
      const t = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS);
      t.unref();
    });
    try {
      await Promise.race([ping, timeout]);
    } catch {
      ping.catch(() => undefined);
      return reply.code(503).send(errorBody('QUASAR_REDIS_UNAVAILABLE'));
    }
    const readiness = deps.readiness();
    if (!readiness.ready) {
      const message = `${readiness.failingCycles} cycles failed in a row: ${readiness.lastError ?? 'unknown error'}`;
      return reply.code(503).send(errorBody('QUASAR_CYCLES_FAILING', message));
    }
    return { status: 'ready', redis: 'ok', cycled: deps.state.snapshot !== undefined };
  });

  app.get('/metrics', async (_req, reply) => {
    const stats = await deps.stats();
    const families = [
      ...statsFamilies({
        ...stats,
        sseClients: parts.hub.size,
        sseFailures: parts.hub.failures,
        sseRefused: parts.hub.refused,
        unserialisable: parts.json.unserialisable,
      }),
      ...extraFamilies(),
    ];
    const text = renderPrometheus(families);
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
  });
}
