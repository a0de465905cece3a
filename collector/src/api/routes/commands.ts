/**
 * Remote control: issue a command, read its outcome, read the job an `INSPECT_JOB` returned. The
 * POSTs are the only write routes: one for any command, and one per verb
 * (`/api/pulse/command/retry`, …) that takes only that verb's command types, so a proxy in front
 * (Grafana's plugin routes) can gate each verb on its own. Each is rate limited per credential
 * and its body is bounded; their errors add the original's `success: false` to the usual error
 * body. A command's outcome is readable with `read` or with any command scope (whoever issued it
 * follows it); its inspected job only with `inspect`, and the outcome never carries the job.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RedisClient } from '@gravito/quasar';
import { COMMAND_VERBS, VERB_OF } from '@gravito/quasar/schema';
import type { CommandVerb } from '@gravito/quasar/schema';
import { actorOf } from '../../commands/actor';
import { parseCommandRequest } from '../../commands/build-command';
import { readCommandStatus } from '../../commands/command-status';
import { readCommandJob, unsealTokens } from '../../commands/inspected-job';
import { commandsEnabled, issueCommand } from '../../commands/issue-command';
import { notePause } from '../../commands/pause-record';
import type { CommandOptions } from '../../commands/issue-command';
import type { KnownNodes } from '../../commands/target-presence';
import { ANONYMOUS } from '../../auth/principal';
import { COMMAND_SCOPES, SCOPE_OF_COMMAND } from '../../auth/scopes';
import { describeError } from '../../util/describe-error';
import { API_ERRORS, errorBody, missingScopeBody } from '../errors';
import type { ApiErrorCode } from '../errors';
import { NO_QUERY } from '../query-schemas';
import type { CommandRateLimiter } from '../rate-limit';

const ID_PARAMS = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' } },
} as const;

/** Who may follow a command: a reader, or anyone who may issue one. */
const OUTCOME_SCOPES = ['read', ...COMMAND_SCOPES] as const;
/** Who may read an inspected job: it holds a payload, so only `inspect`. */
const INSPECT = ['inspect'] as const;

/** Largest command body, bytes: seven fields of at most 512 characters fit many times over. */
export const COMMAND_BODY_LIMIT = 16 * 1024;

function fail(
  reply: FastifyReply,
  code: ApiErrorCode,
  message?: string,
  extra = {},
  detail: { verb?: string } = {},
) {
  const body = errorBody(code, message);
  return reply
    .code(API_ERRORS[code].status)
    .send({ success: false, ...extra, error: { ...body.error, ...detail } });
}

/**
 * Registers the command POSTs (rate limited by `limiter`, one bucket for all) and the command
 * status route. `known`
 * names a service's nodes from the collector's last read, for a broadcast on a cluster.
 */
export function commandRoutes(
  app: FastifyInstance,
  redis: RedisClient,
  options: CommandOptions | undefined,
  limiter: CommandRateLimiter,
  known?: KnownNodes,
): void {
  const postOptions = {
    config: { write: true },
    bodyLimit: COMMAND_BODY_LIMIT,
    schema: { querystring: NO_QUERY },
    // Before the body is read: a flood is refused without parsing what it sends.
    onRequest: async (req: FastifyRequest, reply: FastifyReply) => {
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
  };
  const issue =
    (verb: CommandVerb | undefined) => async (req: FastifyRequest, reply: FastifyReply) => {
      if (!options || !commandsEnabled(options)) return fail(reply, 'QUASAR_COMMANDS_DISABLED');
      const parsed = parseCommandRequest(req.body);
      if (!parsed.ok) return fail(reply, 'QUASAR_INVALID_COMMAND', parsed.error);
      const request = parsed.value;
      if (verb !== undefined && VERB_OF[request.type] !== verb) {
        const message = `${request.type} is not a ${verb} command: send it to /api/pulse/command/${VERB_OF[request.type]}`;
        return fail(reply, 'QUASAR_VERB_MISMATCH', message, {}, { verb });
      }
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
    };

  app.post('/api/pulse/command', postOptions, issue(undefined));
  // Static paths, one per verb: an unknown verb is the router's 404, never a handler's guess.
  for (const verb of COMMAND_VERBS)
    app.post(`/api/pulse/command/${verb}`, postOptions, issue(verb));

  app.get<{ Params: { id: string } }>(
    '/api/pulse/commands/:id',
    { config: { scopes: OUTCOME_SCOPES }, schema: { params: ID_PARAMS, querystring: NO_QUERY } },
    async (req, reply) => {
      const status = await readCommandStatus(redis, req.params.id);
      if (status === undefined) return reply.code(404).send(errorBody('QUASAR_COMMAND_UNKNOWN'));
      return status;
    },
  );

  const tokens = unsealTokens(options?.token, options?.previousTokens);
  app.get<{ Params: { id: string } }>(
    '/api/pulse/commands/:id/job',
    { config: { scopes: INSPECT }, schema: { params: ID_PARAMS, querystring: NO_QUERY } },
    async (req, reply) => {
      const commandId = req.params.id;
      const read = await readCommandJob(redis, commandId, tokens);
      const token = (req.principal ?? ANONYMOUS).name;
      switch (read.kind) {
        case 'none':
          return reply.code(404).send(errorBody('QUASAR_JOB_UNKNOWN'));
        case 'sealed':
          req.log.warn({ commandId, token }, 'inspected job not opened by any command token');
          return reply.code(409).send(errorBody('QUASAR_JOB_SEALED'));
        case 'invalid':
          // The validator's message names a field, never quotes the job.
          req.log.warn({ commandId, token, error: read.error }, 'inspected job does not validate');
          return reply
            .code(502)
            .send(
              errorBody(
                'QUASAR_JOB_INVALID',
                `${API_ERRORS.QUASAR_JOB_INVALID.message}: ${read.error}`,
              ),
            );
        case 'job':
          // Who read which job, never what it holds.
          req.log.info({ commandId, token, sealed: read.sealed }, 'inspected job read');
          return reply.header('cache-control', 'no-store').send({ commandId, job: read.job });
      }
    },
  );
}
