/**
 * Acts on one received command: decides, claims, executes, and leaves the result. Called by
 * the listener one command at a time; never rejects, so nothing reaches the host.
 */
import type { RedisClient } from '../../redis/redis-client';
import type { QuasarLogger } from '../../options/types';
import type { QueueRegistration } from '../../queues/queue-monitor';
import type { CommandResult, CommandResultStatus } from '../../schema/command';
import { isCrossSlotError } from '../../redis/key-slot';
import { CommandRejectedError } from '../executor';
import type { ExecutionOutcome } from '../executor';
import type { InspectedJob } from '../../schema/inspected-job';
import { sealJob } from '../inspect/seal';
import { inspectAcross } from './inspect-across';
import { executorFor } from '../executor-registry';
import { MAX_CLOCK_SKEW_MS, decideCommand } from './command-decision';
import type { Delivery, ExecutionPlan, QueueCandidate } from './command-decision';
import type { ResolvedRemoteControl } from './remote-control-options';
import { claimCommand, writeResult } from './result-writer';
import type { SeenCommands } from './seen-commands';
import { MAX_TEXT_LENGTH } from '../../schema/limits';
import { cut } from '../../schema/parse-result';

/** What running commands needs from the agent. */
export interface RunnerDeps {
  nodeId: string;
  logger: QuasarLogger;
  /** The transport connection: claims and results are written there. */
  transport: RedisClient;
  /** The application's Redis the executors act on; undefined while it is not open. */
  monitor: () => RedisClient | undefined;
  /** How a monitored queue was registered. */
  registration: (queue: string) => QueueRegistration | undefined;
  /** The agent's clock, epoch ms. */
  now: () => number;
}

/** The reason given for a command Redis refused with `CROSSSLOT`. */
export const CROSS_SLOT_REASON =
  "the queue's keys hash to different Redis Cluster slots, which one script cannot span; give them one hash tag (a '{…}' in the queue name or key prefix)";

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Writes the result of one decision and logs it; a rejection that lost to a result stays quiet. */
export async function settle(
  deps: RunnerDeps,
  commandId: string,
  status: CommandResultStatus,
  detail: { reason?: string } & Partial<Omit<CommandResult, 'reason'>>,
): Promise<void> {
  const { reason, affected, skipped, preview, job } = detail;
  const result: CommandResult = {
    commandId,
    status,
    // An executor's error may quote what it read; the result stays small whatever it says.
    ...(reason !== undefined ? { reason: cut(reason, MAX_TEXT_LENGTH) } : {}),
    affected: affected ?? 0,
    nodeId: deps.nodeId,
    finishedAt: deps.now(),
    ...(skipped !== undefined ? { skipped } : {}),
    ...(preview !== undefined ? { preview } : {}),
    ...(job !== undefined ? { job } : {}),
  };
  const written = await writeResult(deps.transport, result);
  const why = detail.reason !== undefined ? `: ${detail.reason}` : '';
  const line = `remote control: command ${commandId} ${status}${why}`;
  if (status === 'failed') deps.logger.warn(line);
  else if (written) deps.logger.info(line);
}

/** Runs the plan's executor on one queue. */
function runOn(
  deps: RunnerDeps,
  config: ResolvedRemoteControl,
  plan: ExecutionPlan,
  { queue, type, options }: QueueCandidate,
): Promise<ExecutionOutcome> {
  const executor = executorFor(type, plan.verb);
  if (!executor) {
    throw new CommandRejectedError(`${plan.verb} is not supported for ${type} queues`);
  }
  const context = { redis: deps.monitor(), options, redact: config.redact };
  return executor.execute(context, { ...plan.target, queue });
}

/** The plan's outcome: on its queue, or on the first of its queues that has the job. */
function outcomeOf(
  deps: RunnerDeps,
  config: ResolvedRemoteControl,
  plan: ExecutionPlan,
): Promise<ExecutionOutcome> {
  const first = { queue: plan.target.queue, type: plan.type, options: plan.options };
  if (plan.also === undefined) return runOn(deps, config, plan, first);
  return inspectAcross([first, ...plan.also], plan.target.jobId ?? '', (candidate) =>
    runOn(deps, config, plan, candidate),
  );
}

/**
 * An inspected job as the result carries it: sealed under the command token where commands are
 * signed; in clear (redacted and capped still) where the agent runs unsigned, with no token
 * to seal it with.
 */
function resultJob(job: InspectedJob, config: ResolvedRemoteControl, commandId: string) {
  return config.token === undefined ? job : sealJob(JSON.stringify(job), config.token, commandId);
}

async function execute(
  deps: RunnerDeps,
  config: ResolvedRemoteControl,
  plan: ExecutionPlan,
): Promise<void> {
  const { command } = plan;
  try {
    const { job, ...outcome } = await outcomeOf(deps, config, plan);
    await settle(deps, command.id, 'succeeded', {
      ...outcome,
      ...(job !== undefined ? { job: resultJob(job, config, command.id) } : {}),
    });
  } catch (error) {
    if (isCrossSlotError(error)) {
      // The executors check their keys first; a script of a queue library can still reach
      // keys no check knew of. Redis's own words would not tell the operator what to change.
      await settle(deps, command.id, 'rejected', { reason: CROSS_SLOT_REASON });
      return;
    }
    const status = error instanceof CommandRejectedError ? 'rejected' : 'failed';
    await settle(deps, command.id, status, { reason: messageOf(error) });
  }
}

/**
 * Decides on one message and acts on the decision. `seen` holds the ids this agent already
 * executed: a replay is refused even if its claim key was deleted. Never rejects.
 */
export async function runCommand(
  deps: RunnerDeps,
  config: ResolvedRemoteControl,
  raw: string,
  delivery: Delivery,
  seen: SeenCommands,
): Promise<void> {
  try {
    const decision = decideCommand(raw, {
      nodeId: deps.nodeId,
      delivery,
      config,
      nowMs: deps.now(),
      registration: deps.registration,
    });
    if (decision.action === 'ignore') {
      deps.logger.info(
        `remote control: ignored a message on the ${delivery} channel: ${decision.reason}`,
      );
      return;
    }
    if (decision.action === 'reject') {
      await settle(deps, decision.commandId, 'rejected', { reason: decision.reason });
      return;
    }
    const id = decision.command.id;
    // A command is fresh for MAX_CLOCK_SKEW_MS after its timestamp; remembered twice as long.
    const forgetAt = decision.command.timestamp + 2 * MAX_CLOCK_SKEW_MS;
    if (!seen.add(id, deps.now(), forgetAt)) {
      if (delivery === 'node') await settle(deps, id, 'rejected', { reason: 'replayed command' });
      return;
    }
    if (!(await claimCommand(deps.transport, id, deps.nodeId))) {
      // On the broadcast channel, a sibling claimed it first and answers for it.
      if (delivery === 'node') await settle(deps, id, 'rejected', { reason: 'replayed command' });
      return;
    }
    await execute(deps, config, decision);
  } catch (error) {
    deps.logger.warn(`remote control: could not handle a command: ${messageOf(error)}`);
  }
}
