/**
 * The Redis side of a decision: the claim that lets one node only run a command, and the
 * result every decision leaves behind, stored for an hour and PUBLISHed for whoever waits (an
 * inspected job beside it, for five minutes).
 */
import { isClusterClient } from '../../redis/redis-client';
import type { RedisClient } from '../../redis/redis-client';
import { COMMAND_KEY_TTL_SECONDS, INSPECTED_JOB_TTL_SECONDS, QuasarKeys } from '../../schema/keys';
import type { CommandResult } from '../../schema/command';

/**
 * Claims `commandId` for `nodeId` (`SET NX`). False when a node (this one or a sibling) has
 * claimed it already: a replay, or another node's copy of a broadcast.
 */
export async function claimCommand(
  redis: RedisClient,
  commandId: string,
  nodeId: string,
): Promise<boolean> {
  const key = QuasarKeys.commandClaim(commandId);
  const set = await redis.set(key, nodeId, 'EX', COMMAND_KEY_TTL_SECONDS, 'NX');
  return set === 'OK';
}

/**
 * Stores and publishes a result. A rejection is stored only where no result exists yet
 * (`SET NX`), so a forged or replayed message can never overwrite what really happened; only
 * the claim holder writes `succeeded` and `failed`, unconditionally. An inspected job goes to
 * its own key for `INSPECTED_JOB_TTL_SECONDS` (it holds a payload), and the result, which then says
 * `hasJob: true`, keeps the hour every result keeps: the outcome outlives the payload.
 * @returns whether the result was stored (and so published).
 */
export async function writeResult(redis: RedisClient, result: CommandResult): Promise<boolean> {
  const key = QuasarKeys.commandResult(result.commandId);
  if (result.status !== 'rejected') {
    const { job, ...rest } = result;
    // The claim holder's result always stands: store and publish it in one round trip.
    if (job !== undefined) return writeWithJob(redis, { ...rest, hasJob: true }, job);
    const json = JSON.stringify(result);
    await Promise.all([
      redis.set(key, json, 'EX', COMMAND_KEY_TTL_SECONDS),
      redis.publish(QuasarKeys.commandResultsChannel, json),
    ]);
    return true;
  }
  // A rejection never carries a job.
  const json = JSON.stringify(result);
  const set = await redis.set(key, json, 'EX', COMMAND_KEY_TTL_SECONDS, 'NX');
  if (set !== 'OK') return false;
  await redis.publish(QuasarKeys.commandResultsChannel, json);
  return true;
}

/**
 * Stores an inspected job, then the result that announces it, then publishes the result: in
 * one `MULTI` on a single Redis; on a cluster (where the two keys hash to different slots)
 * the job first, so whoever sees the result finds the job.
 */
async function writeWithJob(
  redis: RedisClient,
  result: CommandResult,
  job: NonNullable<CommandResult['job']>,
): Promise<true> {
  const jobKey = QuasarKeys.commandJob(result.commandId);
  const key = QuasarKeys.commandResult(result.commandId);
  const jobJson = JSON.stringify(job);
  const json = JSON.stringify(result);
  if (isClusterClient(redis)) {
    await redis.set(jobKey, jobJson, 'EX', INSPECTED_JOB_TTL_SECONDS);
    await Promise.all([
      redis.set(key, json, 'EX', COMMAND_KEY_TTL_SECONDS),
      redis.publish(QuasarKeys.commandResultsChannel, json),
    ]);
    return true;
  }
  const replies = await redis
    .multi()
    .set(jobKey, jobJson, 'EX', INSPECTED_JOB_TTL_SECONDS)
    .set(key, json, 'EX', COMMAND_KEY_TTL_SECONDS)
    .publish(QuasarKeys.commandResultsChannel, json)
    .exec();
  // EXEC answers null when the transaction was discarded; a queued command may fail alone.
  const failed = replies === null ? new Error('MULTI discarded') : replies.find(([e]) => e)?.[0];
  if (failed) throw failed;
  return true;
}
