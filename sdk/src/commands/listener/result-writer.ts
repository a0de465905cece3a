/**
 * The Redis side of a decision: the claim that lets one node only run a command, and the
 * result every decision leaves behind, stored for an hour and PUBLISHed for whoever waits.
 */
import type { RedisClient } from '../../redis/redis-client';
import { COMMAND_KEY_TTL_SECONDS, QuasarKeys } from '../../schema/keys';
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
 * How long a result holding an inspected job is kept: long enough for the collector to read
 * it, short because it holds a payload (sealed where commands are signed, in clear otherwise).
 */
export const INSPECT_RESULT_TTL_SECONDS = 300;

/** How long `result` is stored. */
const ttlOf = (result: CommandResult) =>
  result.job !== undefined ? INSPECT_RESULT_TTL_SECONDS : COMMAND_KEY_TTL_SECONDS;

/**
 * Stores and publishes a result. A rejection is stored only where no result exists yet
 * (`SET NX`), so a forged or replayed message can never overwrite what really happened; only
 * the claim holder writes `succeeded` and `failed`, unconditionally.
 * @returns whether the result was stored (and so published).
 */
export async function writeResult(redis: RedisClient, result: CommandResult): Promise<boolean> {
  const key = QuasarKeys.commandResult(result.commandId);
  const json = JSON.stringify(result);
  if (result.status !== 'rejected') {
    // The claim holder's result always stands: store and publish it in one round trip.
    await Promise.all([
      redis.set(key, json, 'EX', ttlOf(result)),
      redis.publish(QuasarKeys.commandResultsChannel, json),
    ]);
    return true;
  }
  const set = await redis.set(key, json, 'EX', ttlOf(result), 'NX');
  if (set !== 'OK') return false;
  await redis.publish(QuasarKeys.commandResultsChannel, json);
  return true;
}
