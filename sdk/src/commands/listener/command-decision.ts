/**
 * Whether a received command may run, decided without Redis: the ordered checks of
 * docs/protocol.md ("How an agent decides"), up to and excluding the claim. The listener claims
 * the command id and executes the plan this returns; every other outcome is a rejection with
 * its reason, or a message too broken to answer.
 */
import {
  COMMAND_TYPES,
  MAX_COMMAND_BYTES,
  isCommandId,
  parseCommand,
  resolveScope,
  VERB_OF,
} from '../../schema/command';
import type { CommandType, CommandVerb, QuasarCommand } from '../../schema/command';
import type { QueueRegistration } from '../../queues/queue-monitor';
import type { ProbeOptions } from '../../queues/types';
import { verifyCommandWithAny } from '../signature';
import type { ExecutionTarget } from '../executor';
import type { ResolvedRemoteControl } from './remote-control-options';

/** How far a command's `timestamp` may be from the agent's clock, either way. */
export const MAX_CLOCK_SKEW_MS = 60_000;

/** The channel a command arrived on: the node's own, or the service-wide `…:*` one. */
export type Delivery = 'node' | 'broadcast';

/** What the checks are made against. */
export interface DecisionContext {
  /** This agent's node id. */
  nodeId: string;
  delivery: Delivery;
  config: ResolvedRemoteControl;
  /** The agent's clock, epoch ms. */
  nowMs: number;
  /** How a monitored queue was registered, or undefined when it is not monitored. */
  registration(queue: string): QueueRegistration | undefined;
}

/** A command that passed every check but the claim, and what running it takes. */
export interface ExecutionPlan {
  action: 'execute';
  command: QuasarCommand;
  verb: CommandVerb;
  /** The queue's probe type, which picks the executor. */
  type: string;
  /** The queue's `monitorQueue()` options. */
  options: ProbeOptions;
  target: ExecutionTarget;
  /**
   * `INSPECT_JOB` on queue `*`: the further queues to look in, in order, when the job is not in
   * `target.queue`; the first that has it answers.
   */
  also?: readonly QueueCandidate[];
}

/** A monitored queue a command may run on. */
export interface QueueCandidate extends QueueRegistration {
  queue: string;
}

/** `payload.queue` meaning every monitored queue with `inspect` enabled (`INSPECT_JOB` only). */
export const EVERY_QUEUE = '*';

/** The outcome of the checks. */
export type Decision =
  | ExecutionPlan
  | { action: 'reject'; commandId: string; reason: string }
  /** Not a command at all, not even an id to answer to. */
  | { action: 'ignore'; reason: string };

/**
 * The `id` of a message, valid or not, when one can be read and answered: a result is stored
 * under it, so an over-long message or an id of another shape is never answered.
 */
export function readableId(raw: string): string | undefined {
  if (raw.length > MAX_COMMAND_BYTES) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const id = (value as Record<string, unknown>).id;
    return isCommandId(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

function signatureError(command: QuasarCommand, config: ResolvedRemoteControl) {
  if (config.token === undefined) {
    return config.allowUnsigned
      ? undefined
      : 'unsigned command (no QUASAR_TOKEN configured and unsigned commands not enabled)';
  }
  if (command.sig === undefined) return 'unsigned command';
  // During a rotation the previous tokens are still accepted, so no command falls in a gap.
  return verifyCommandWithAny(command, [config.token, ...config.previousTokens])
    ? undefined
    : 'bad signature';
}

function freshnessError(command: QuasarCommand, nowMs: number) {
  if (command.expiresAt !== undefined && command.expiresAt <= nowMs) return 'expired';
  if (Math.abs(nowMs - command.timestamp) > MAX_CLOCK_SKEW_MS) {
    return 'timestamp outside ±60 s of the agent clock';
  }
  return undefined;
}

function isForThisNode(command: QuasarCommand, context: DecisionContext): boolean {
  const expected = context.delivery === 'node' ? context.nodeId : '*';
  return command.targetNodeId === expected;
}

/** Runs the checks in the protocol's order; the first that fails decides. */
export function decideCommand(raw: string, context: DecisionContext): Decision {
  const parsed = parseCommand(raw);
  if (!parsed.ok) {
    const commandId = readableId(raw);
    const reason = `malformed command: ${parsed.error}`;
    return commandId === undefined
      ? { action: 'ignore', reason }
      : { action: 'reject', commandId, reason };
  }
  const command = parsed.value;
  const reject = (reason: string): Decision => ({
    action: 'reject',
    commandId: command.id,
    reason,
  });
  // The signature first: nothing else of an unsigned message is looked at, let alone echoed.
  const unsigned = signatureError(command, context.config);
  if (unsigned !== undefined) return reject(unsigned);
  if (!COMMAND_TYPES.includes(command.type as CommandType)) {
    return reject(`unknown command type ${command.type}`);
  }
  const verb = VERB_OF[command.type as CommandType];
  const stale = freshnessError(command, context.nowMs);
  if (stale !== undefined) return reject(stale);
  if (!isForThisNode(command, context)) return reject('not for this node');
  const type = command.type as CommandType;
  const found = queuesOf(command.payload.queue, type, verb, context);
  if (typeof found === 'string') return reject(found);
  const [{ queue, ...registration }, ...also] = found as [QueueCandidate, ...QueueCandidate[]];
  const scope = resolveScope(command.payload, command.scope, type);
  if (!scope.ok) return reject(scope.error);
  const { fingerprint, dryRun } = command.payload;
  if (fingerprint !== undefined && scope.scope !== 'all-failed') {
    return reject('payload.fingerprint applies to scope all-failed only');
  }
  // A dry run previews a bulk selection; on one job or a queue an executor could not honour it.
  if (dryRun === true && scope.scope !== 'all-failed' && scope.scope !== 'all-delayed') {
    return reject('payload.dryRun applies to scopes all-failed and all-delayed only');
  }
  const target: ExecutionTarget = {
    type,
    queue,
    scope: scope.scope,
    ...(scope.scope === 'job' ? { jobId: scope.jobId } : {}),
    maxJobs: context.config.maxJobsPerCommand,
    ...(scope.scope === 'all-failed'
      ? {
          maxScan: context.config.maxScanPerCommand,
          jobsPerBatch: context.config.jobsPerBatch,
          batchPauseMs: context.config.batchPauseMs,
        }
      : {}),
    ...(fingerprint !== undefined ? { fingerprint } : {}),
    ...(dryRun === true ? { dryRun: true } : {}),
  };
  return {
    action: 'execute',
    command,
    verb,
    ...registration,
    target,
    ...(also.length > 0 ? { also } : {}),
  };
}

/**
 * The queues a command runs on: its own queue, or for `INSPECT_JOB` on `*` every monitored
 * queue with `inspect` enabled, in the order remote control lists them. A reason otherwise.
 */
function queuesOf(
  queue: string,
  type: CommandType,
  verb: CommandVerb,
  context: DecisionContext,
): QueueCandidate[] | string {
  if (queue === EVERY_QUEUE && type === 'INSPECT_JOB') {
    const found: QueueCandidate[] = [];
    for (const [name, verbs] of context.config.queues) {
      const registration = verbs.has(verb) ? context.registration(name) : undefined;
      if (registration !== undefined) found.push({ queue: name, ...registration });
    }
    return found.length > 0 ? found : 'inspect is not enabled on any monitored queue';
  }
  if (!context.config.queues.get(queue)?.has(verb)) {
    return `${verb} is not enabled on queue ${queue}`;
  }
  const registration = context.registration(queue);
  if (registration === undefined) return `queue ${queue} is not monitored by this agent`;
  return [{ queue, ...registration }];
}
