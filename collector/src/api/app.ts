/**
 * Builds the HTTP app (routes, auth, errors) without listening: `server.ts` listens, tests
 * use `inject()`.
 */
import Fastify, { LogController } from 'fastify';
import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import type { CommandOptions } from '../commands/issue-command';
import { COLLECTOR_DEFAULTS } from '../config/options';
import { AccessControl } from './auth';
import { authHook } from './auth-hook';
import type { ApiConfig, ApiDeps } from './deps';
import { errorBody } from './errors';
import { PulseJson } from './node-json';
import { knownNodes } from './known-nodes';
import { finiteKeyword } from './query-schemas';
import { CommandRateLimiter } from './rate-limit';
import type { RateLimit } from './rate-limit';
import { auditRoutes } from './routes/audit';
import { healthRoutes } from './routes/health';
import { historyRoutes } from './routes/history';
import { commandRoutes } from './routes/commands';
import { meRoutes } from './routes/me';
import { pulseRoutes } from './routes/pulse';
import { slowGroupRoutes } from './routes/slow-groups';
import { SseHub } from './sse-hub';

/** Remote-control configuration; without it the command routes answer `QUASAR_COMMANDS_DISABLED`. */
export interface CommandApiConfig {
  /** When set, the only token the write routes accept; the API token then gets 403. */
  apiWriteToken?: string;
  commands?: CommandOptions;
  /** Commands per credential. @default 60 per minute, bursts of 60 */
  commandRate?: RateLimit;
  /** Refuse every command with `QUASAR_READ_ONLY`. @default false */
  readOnly?: boolean;
}

const FRAMEWORK_ERRORS = new Map([
  ['FST_ERR_BAD_URL', 'the URL is not valid'],
  ['FST_ERR_MAX_PARAM_LENGTH', 'a path parameter is longer than 128 characters'],
]);

export interface BuiltApp {
  app: FastifyInstance;
  hub: SseHub;
}

export function buildApp(
  deps: ApiDeps,
  config: ApiConfig & CommandApiConfig,
  logger?: FastifyBaseLogger,
): BuiltApp {
  if (!config.noAuth && !config.apiToken && (config.apiTokens ?? []).length === 0) {
    throw new Error('buildApp: an apiToken (or apiTokens) is required unless noAuth is set');
  }
  const access = new AccessControl(config);
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    // Dashboards poll every few seconds: per-request lines would drown the log.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: {
      customOptions: { coerceTypes: true, removeAdditional: false },
      plugins: [finiteKeyword],
    },
    // The longest command id the status route takes; longer ones are refused by the router.
    routerOptions: { maxParamLength: 128 },
    // The router's own refusals (an undecodable URL, an over-long id) answer like the routes do,
    // without echoing the path.
    frameworkErrors: (error: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
      reply.code(400).send(errorBody('QUASAR_BAD_REQUEST', FRAMEWORK_ERRORS.get(error.code)));
    },
  });
  const json = new PulseJson();
  const hub = new SseHub(deps.state, json);
  const limiter = new CommandRateLimiter(
    config.commandRate ?? {
      perMinute: COLLECTOR_DEFAULTS.commandRatePerMinute,
      burst: COLLECTOR_DEFAULTS.commandBurst,
    },
  );

  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', authHook(access));

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
  app.addHook('preClose', (done) => {
    hub.close();
    done();
  });
  pulseRoutes(app, deps, hub, json);
  historyRoutes(app, deps);
  slowGroupRoutes(app, deps);
  healthRoutes(app, deps, { hub, json }, () => limiter.families());
  commandRoutes(app, deps.redis, config.commands, limiter, (service) =>
    knownNodes(deps.state.snapshot?.nodes ?? [], service),
  );
  auditRoutes(app, deps.redis);
  meRoutes(app, access.readOnly);
  return { app, hub };
}
