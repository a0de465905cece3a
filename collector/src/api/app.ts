/**
 * Builds the HTTP app (routes, auth, errors) without listening: `server.ts` listens, tests
 * use `inject()`.
 */
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { CommandOptions } from '../commands/issue-command';
import { credentialChecker } from './auth';
import type { ApiConfig, ApiDeps } from './deps';
import { errorBody } from './errors';
import { PulseJson } from './node-json';
import { healthRoutes } from './routes/health';
import { commandRoutes } from './routes/commands';
import { pulseRoutes } from './routes/pulse';
import { SseHub } from './sse-hub';

/** Remote-control configuration; without it the command routes answer `QUASAR_COMMANDS_DISABLED`. */
export interface CommandApiConfig {
  /** When set, the only token the write routes accept; the API token then gets 403. */
  apiWriteToken?: string;
  commands?: CommandOptions;
}

export interface BuiltApp {
  app: FastifyInstance;
  hub: SseHub;
}

export function buildApp(
  deps: ApiDeps,
  config: ApiConfig & CommandApiConfig,
  logger?: FastifyBaseLogger,
): BuiltApp {
  if (!config.noAuth && !config.apiToken) {
    throw new Error('buildApp: an apiToken is required unless noAuth is set');
  }
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    // Dashboards poll every few seconds: per-request lines would drown the log.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false } },
  });
  const json = new PulseJson();
  const hub = new SseHub(deps.state, json);
  const credentialOf = credentialChecker(config);

  app.addHook('onRequest', async (req, reply) => {
    // The matched route, not the raw URL: the router decodes `/%61pi/…` to `/api/…`.
    if (!(req.routeOptions.url ?? req.url).startsWith('/api/')) return;
    const credential = credentialOf(req.headers.authorization);
    if (req.routeOptions.config?.write === true && config.apiWriteToken) {
      // `--no-auth` opens the read routes only: a configured write token is always required.
      if (credential === 'write-token') return;
      if (credential === 'api-token') {
        return reply.code(403).send(errorBody('QUASAR_WRITE_TOKEN_REQUIRED'));
      }
    } else if (config.noAuth || credential !== undefined) {
      return;
    }
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="quasar"')
      .send(errorBody('QUASAR_UNAUTHORIZED'));
  });

  app.setErrorHandler(
    (error: { validation?: unknown; statusCode?: number; message: string }, req, reply) => {
      // Schema failures, and fastify's own 4xx (a body that is not JSON, too large, …).
      const clientError = (error.statusCode ?? 500) >= 400 && (error.statusCode ?? 500) < 500;
      if (error.validation || clientError) {
        return reply.code(400).send(errorBody('QUASAR_BAD_REQUEST', error.message));
      }
      req.log.error({ err: error.message, url: req.url }, 'request failed');
      const redisDown =
        /ECONNREFUSED|Connection is closed|max retries|Stream isn't writeable/i.test(error.message);
      return redisDown
        ? reply.code(503).send(errorBody('QUASAR_REDIS_UNAVAILABLE'))
        : reply.code(500).send(errorBody('QUASAR_INTERNAL'));
    },
  );

  app.setNotFoundHandler((_req, reply) => reply.code(404).send(errorBody('QUASAR_NOT_FOUND')));

  // preClose, not onClose: fastify waits for open connections before onClose hooks run, and an
  // SSE response is never idle, so closing the streams any later would hang the shutdown.
  app.addHook('preClose', async () => hub.close());
  pulseRoutes(app, deps, hub, json);
  healthRoutes(app, deps, { hub, json });
  commandRoutes(app, deps.redis, config.commands, credentialOf);
  return { app, hub };
}
