/**
 * Issues one command: build, sign, audit, record, publish. The audit entry is written first,
 * so no command ever reaches an agent without a trace; a command no agent received gets a
 * `rejected` result at once instead of reading `pending` until its deadline.
 *
 * Who received it: on a single Redis, the count `PUBLISH` returns. On a Redis Cluster that
 * count covers only the subscribers of the one node the message was sent to, so it is not
 * trusted: the target counts as reached when its heartbeat is alive (see
 * `target-presence.ts`), and a target that never answers reads `expired` after the deadline.
 */
import { randomUUID } from 'node:crypto';
import { isClusterClient, signCommand } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import { COMMAND_KEY_TTL_SECONDS, QuasarKeys } from '@gravito/quasar/schema';
import type { CommandResult, QuasarCommand } from '@gravito/quasar/schema';
import type { Actor } from './actor';
import { appendAudit } from './audit-log';
import { COLLECTOR_ISSUER, EVERY_NODE, buildCommand } from './build-command';
import type { CommandRequest } from './build-command';
import type { IssuedRecord } from './command-status';
import { targetIsLive } from './target-presence';
import type { KnownNodes } from './target-presence';

/** How the collector issues commands. */
export interface CommandOptions {
  /** `QUASAR_TOKEN`: every command is signed with it. Never logged. */
  token: string | undefined;
  /**
   * Former command tokens, tried after `token` to open a sealed inspected job written during a
   * rotation; never used to sign. Never logged. @default []
   */
  previousTokens?: readonly string[];
  /** Issue unsigned commands when no token is set. @default false */
  allowUnsigned: boolean;
  /** How long a command may still run, ms. @default 60000 */
  ttlMs: number;
  /** How long a command reads `pending` before `expired`, ms. @default 120000 */
  resultTimeoutMs: number;
  /** Audit entries older than this are trimmed, younger ones never, ms. @default 2592000000 */
  auditRetentionMs: number;
  /** Memory backstop on the audit stream's length (`MAXLEN ~`). @default 10000000 */
  auditMaxLength: number;
}

/** What happened to a command the API was asked to issue. */
export type IssueOutcome =
  | {
      kind: 'published';
      command: QuasarCommand;
      channel: string;
      /** What PUBLISH counted: every receiver on a single Redis, one node's on a cluster. */
      receivers: number;
      /** How the target was known to be there: PUBLISH's count, or its live heartbeat. */
      reachedBy: 'subscribers' | 'heartbeat';
    }
  | { kind: 'no-subscriber'; command: QuasarCommand; channel: string }
  | { kind: 'audit-failed'; command: QuasarCommand; error: unknown };

/** The reason recorded for a command that reached no agent. */
export const NO_SUBSCRIBER_REASON = 'no agent subscribed to the command channel';

/** Whether commands can be issued at all under `options`. */
export function commandsEnabled(options: CommandOptions): boolean {
  return options.token !== undefined || options.allowUnsigned;
}

/** The channel a request's command travels on. */
export function channelOf(request: CommandRequest): string {
  return request.nodeId === EVERY_NODE
    ? QuasarKeys.broadcastChannel(request.service)
    : QuasarKeys.commandChannel(request.service, request.nodeId);
}

async function recordNoSubscriber(redis: RedisClient, command: QuasarCommand, now: number) {
  const result: CommandResult = {
    commandId: command.id,
    status: 'rejected',
    reason: NO_SUBSCRIBER_REASON,
    affected: 0,
    nodeId: COLLECTOR_ISSUER,
    finishedAt: now,
  };
  const json = JSON.stringify(result);
  // NX, as for every rejection: a result an agent wrote in the meantime wins.
  await redis.set(QuasarKeys.commandResult(command.id), json, 'EX', COMMAND_KEY_TTL_SECONDS, 'NX');
  await redis.publish(QuasarKeys.commandResultsChannel, json);
}

/**
 * Issues `request` on behalf of `actor`. `known` names the service's nodes the collector last
 * saw, for a broadcast's check on a cluster. Rejects only when Redis fails after the audit.
 */
export async function issueCommand(
  redis: RedisClient,
  request: CommandRequest,
  actor: Actor,
  options: CommandOptions,
  now = Date.now(),
  known?: KnownNodes,
): Promise<IssueOutcome> {
  const unsigned = buildCommand(request, randomUUID(), now, options.ttlMs);
  const command = options.token ? signCommand(unsigned, options.token) : unsigned;
  const deadline = now + options.resultTimeoutMs;
  try {
    await appendAudit(
      redis,
      {
        id: command.id,
        at: now,
        ...actor,
        action: request.type,
        service: request.service,
        nodeId: request.nodeId,
        queue: request.queue,
        scope: request.scope,
        jobId: request.jobId ?? '',
        deadline,
        ...(request.fingerprint !== undefined ? { fingerprint: request.fingerprint } : {}),
        ...(request.dryRun === true ? { dryRun: true as const } : {}),
      },
      { retentionMs: options.auditRetentionMs, maxLength: options.auditMaxLength },
      now,
    );
  } catch (error) {
    return { kind: 'audit-failed', command, error };
  }
  const record: IssuedRecord = {
    deadline,
    service: request.service,
    nodeId: request.nodeId,
    type: request.type,
    queue: request.queue,
  };
  await redis.set(
    QuasarKeys.commandIssued(command.id),
    JSON.stringify(record),
    'EX',
    // As long as the agents keep results, so a status never outlives its record.
    COMMAND_KEY_TTL_SECONDS,
  );
  const channel = channelOf(request);
  const text = JSON.stringify(command);
  if (isClusterClient(redis)) {
    const [receivers, live] = await Promise.all([
      redis.publish(channel, text),
      targetIsLive(redis, request, known),
    ]);
    if (live || receivers > 0) {
      return { kind: 'published', command, channel, receivers, reachedBy: 'heartbeat' };
    }
  } else {
    const receivers = await redis.publish(channel, text);
    if (receivers > 0) {
      return { kind: 'published', command, channel, receivers, reachedBy: 'subscribers' };
    }
  }
  await recordNoSubscriber(redis, command, Date.now());
  return { kind: 'no-subscriber', command, channel };
}
