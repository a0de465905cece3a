/**
 * The job an `INSPECT_JOB` command returned, for `GET /api/pulse/commands/:id/job`: read from the
 * command's job key (or from an old agent's result), opened with the command token (then the former ones, during a rotation) when
 * the agent sealed it, and validated field by field. Only this module ever holds a job in clear,
 * and only for the reply it builds: nothing here logs or stores it.
 */
import { unsealJob } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import {
  MAX_RESULT_BYTES,
  QuasarKeys,
  isSealedJob,
  parseCommandResult,
  readInspectedJob,
  readInspectedJobField,
} from '@gravito/quasar/schema';
import type { InspectedJob, SealedJob } from '@gravito/quasar/schema';

/** What reading a command's inspected job found. */
export type JobRead =
  | { kind: 'job'; job: InspectedJob; sealed: boolean }
  /**
   * No job stored (none yet, none returned, or expired after five minutes), or one that does
   * not validate.
   */
  | { kind: 'none' }
  /** Sealed, and none of the tokens opens it (another token, or a tampered envelope). */
  | { kind: 'sealed' }
  /** Opened (or in clear), but not an inspected job. */
  | { kind: 'invalid'; error: string };

/** The tokens a sealed job is tried with: the current one first, then those of a rotation. */
export function unsealTokens(
  token: string | undefined,
  previous: readonly string[] = [],
): string[] {
  return [...(token === undefined ? [] : [token]), ...previous];
}

const TOO_LARGE = Symbol('too large');

/**
 * The text at `key`, or null when there is none. Any agent may write the key, so it is read as
 * one range of at most `MAX_RESULT_BYTES` beside its length (as heartbeats are): a key holding
 * megabytes costs that range, never the whole value, and reads as {@link TOO_LARGE}.
 */
async function boundedJobText(redis: RedisClient, key: string) {
  const replies = await redis
    .pipeline()
    .strlen(key)
    .getrange(key, 0, MAX_RESULT_BYTES - 1)
    .exec();
  const [[lengthError, length] = [null, 0], [rangeError, text] = [null, null]] = replies ?? [];
  if (lengthError) throw lengthError;
  if (rangeError) throw rangeError;
  if (Number(length) === 0) return null;
  return Number(length) > MAX_RESULT_BYTES ? TOO_LARGE : (text as string);
}

/**
 * The stored job of command `commandId`: at its own key (kept five minutes), or, from an agent
 * of the first inspect release, inside a result filed under this command's id.
 */
async function storedJob(
  redis: RedisClient,
  commandId: string,
): Promise<InspectedJob | SealedJob | undefined> {
  const stored = await boundedJobText(redis, QuasarKeys.commandJob(commandId));
  if (stored !== null) {
    if (stored === TOO_LARGE) return undefined;
    const job = readInspectedJobField(jsonOf(stored));
    return typeof job === 'string' ? undefined : job;
  }
  const result = await redis.get(QuasarKeys.commandResult(commandId));
  if (result === null) return undefined;
  const parsed = parseCommandResult(result);
  // A result filed under another command's key is not this command's answer.
  if (!parsed.ok || parsed.value.commandId !== commandId) return undefined;
  return parsed.value.job;
}

/** The inspected job of command `commandId`, opened with the first of `tokens` that opens it. */
export async function readCommandJob(
  redis: RedisClient,
  commandId: string,
  tokens: readonly string[],
): Promise<JobRead> {
  const job = await storedJob(redis, commandId);
  if (job === undefined) return { kind: 'none' };
  if (!isSealedJob(job)) return checked(job, false);
  const json = unsealJob(job, tokens, commandId);
  return json === undefined ? { kind: 'sealed' } : checked(json, true);
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function checked(input: unknown, sealed: boolean): JobRead {
  const read = readInspectedJob(input);
  return read.ok
    ? { kind: 'job', job: read.value, sealed }
    : { kind: 'invalid', error: read.error };
}
