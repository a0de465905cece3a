/**
 * Who paused a queue, kept where the Pulse API can show it: when the collector issues
 * `PAUSE_QUEUE` it records `{actor, tokenName, at, commandId}` under the queue's name in the
 * service's pause hash, and when it issues `RESUME_QUEUE` it deletes it. The record is written
 * once the command is on its way, whatever the agent then does: the API shows it only while
 * the queue's own snapshot says `paused`, so a pause that failed shows nothing.
 */
import type { RedisClient } from '@gravito/quasar';
import { PAUSE_RECORD_TTL_SECONDS, QuasarKeys, pauseRecordText } from '@gravito/quasar/schema';
import type { Actor } from './actor';
import type { CommandRequest } from './build-command';

/** Records or clears the pause of `request`'s queue; other commands write nothing. */
export async function notePause(
  redis: RedisClient,
  request: CommandRequest,
  actor: Actor,
  commandId: string,
  nowMs: number,
): Promise<void> {
  const key = QuasarKeys.queuePauses(request.service);
  if (request.type === 'RESUME_QUEUE') {
    await redis.hdel(key, request.queue);
    return;
  }
  if (request.type !== 'PAUSE_QUEUE') return;
  const text = pauseRecordText({
    actor: actor.actor,
    tokenName: actor.tokenName,
    at: nowMs,
    commandId,
  });
  // One key: a MULTI is atomic on a cluster too.
  await redis.multi().hset(key, request.queue, text).expire(key, PAUSE_RECORD_TTL_SECONDS).exec();
}
