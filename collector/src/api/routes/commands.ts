/**
 * Remote control: issue a command, read its outcome. The POST is the only write route: it is
 * rate limited per credential and its body is bounded; its errors add the original's
 * `success: false` to the usual error body.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RedisClient } from '@gravito/quasar';
import { actorOf } from '../../commands/actor';
import { parseCommandRequest } from '../../commands/build-command';
import { readCommandStatus } from '../../commands/command-status';
import { commandsEnabled, issueCommand } from '../../commands/issue-command';
import { notePause } from '../../commands/pause-record';
import type { CommandOptions } from '../../commands/issue-command';
import type { KnownNodes } from '../../commands/target-presence';
import { ANONYMOUS } from '../../auth/principal';
import { SCOPE_OF_COMMAND } from '../../auth/scopes';
import { describeError } from '../../util/describe-error';
import { API_ERRORS, errorBody, missingScopeBody } from '../errors';
import type { ApiErrorCode } from '../errors';
import { NO_QUERY } from '../query-schemas';
import type { CommandRateLimiter } from '../rate-limit';

/** Largest command body, bytes: seven fields of at most 512 characters fit many times over. */
export const COMMAND_BODY_LIMIT = 16 * 1024;

function fail(reply: FastifyReply, code: ApiErrorCode, message?: string, extra = {}) {
  return reply
    .code(API_ERRORS[code].status)
    .send({ success: false, ...extra, ...errorBody(code, message) });
}

/**
 * Registers the command POST (rate limited by `limiter`) and the command status route. `known`
 * names a service's nodes from the collector's last read, for a broadcast on a cluster.
 */
export function commandRoutes(
  app: FastifyInstance,
  redis: RedisClient,
  options: CommandOptions | undefined,
  limiter: CommandRateLimiter,
  known?: KnownNodes,
): void {
  app.post(
    '/api/pulse/command',
    {
      config: { write: true },
      bodyLimit: COMMAND_BODY_LIMIT,
      schema: { querystring: NO_QUERY },
      // Before the body is read: a flood is refused without parsing what it sends.
      onRequest: async (req, reply) => {
        const principal = req.principal ?? ANONYMOUS;
        const decision = limiter.take(principal, req.ip);
        if (decision.allowed) return;
        const retryAfter = decision.retryAfterSeconds;
        if (decision.firstRefusal) {
          const { credential, name: token } = principal;
          req.log.warn({ credential, token, retryAfter }, 'command rate limit reached');
        }
        return fail(reply.header('retry-after', String(retryAfter)), 'QUASAR_RATE_LIMITED');
      },
    },
    async (req, reply) => {
      if (!options || !commandsEnabled(options)) return fail(reply, 'QUASAR_COMMANDS_DISABLED');
      const parsed = parseCommandRequest(req.body);
      if (!parsed.ok) return fail(reply, 'QUASAR_INVALID_COMMAND', parsed.error);
      const request = parsed.value;
      const principal = req.principal ?? ANONYMOUS;
      const needed = SCOPE_OF_COMMAND[request.type];
      if (!principal.scopes.has(needed)) {
        const body = missingScopeBody(needed, request.type);
        return reply.code(API_ERRORS.QUASAR_MISSING_SCOPE.status).send({ success: false, ...body });
      }
      const actor = actorOf(req.headers, principal);
      const issuedAt = Date.now();
      const outcome = await issueCommand(redis, request, actor, options, issuedAt, known);
      const commandId = outcome.command.id;
      const fields = {
        commandId,
        type: request.type,
        service: request.service,
        actor: actor.actor,
        token: actor.tokenName,
      };
      if (outcome.kind === 'audit-failed') {
        req.log.error({ ...fields, err: describeError(outcome.error) }, 'audit write failed');
        return fail(reply, 'QUASAR_AUDIT_UNAVAILABLE');
      }
      if (outcome.kind === 'no-subscriber') {
        req.log.warn({ ...fields, channel: outcome.channel }, 'command reached no agent');
        const message = `no agent is listening on ${outcome.channel}`;
        return fail(reply, 'QUASAR_NO_SUBSCRIBER', message, { commandId });
      }
      const { receivers, reachedBy } = outcome;
      req.log.info({ ...fields, receivers, reachedBy }, 'command issued');
      // The command is out and audited: a lost record only hides who paused the queue.
      await notePause(redis, request, actor, commandId, issuedAt).catch((error: unknown) =>
        req.log.warn({ ...fields, err: describeError(error) }, 'recording the pause failed'),
      );
      return reply.code(202).send({
        success: true,
        commandId,
        message: `${request.type} sent on ${outcome.channel}`,
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/pulse/commands/:id',
    {
      schema: {
        params: {
          type: 'object',
          properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' } },
        },
        querystring: NO_QUERY,
      },
    },
    async (req, reply) => {
      const status = await readCommandStatus(redis, req.params.id);
      if (status === undefined) return reply.code(404).send(errorBody('QUASAR_COMMAND_UNKNOWN'));
      return status;
    },
  );
}
