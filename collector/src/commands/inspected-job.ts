/**
 * The job an `INSPECT_JOB` command returned, for `GET /api/pulse/commands/:id/job`: read from the
 * command's result, opened with the command token (then the former ones, during a rotation) when
 * the agent sealed it, and validated field by field. Only this module ever holds a job in clear,
 * and only for the reply it builds: nothing here logs or stores it.
 */
import { unsealJob } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import {
  QuasarKeys,
  isSealedJob,
  parseCommandResult,
  readInspectedJob,
} from '@gravito/quasar/schema';
import type { InspectedJob } from '@gravito/quasar/schema';

/** What reading a command's inspected job found. */
export type JobRead =
  | { kind: 'job'; job: InspectedJob; sealed: boolean }
  /** No result yet, a result without a job, or a result that does not validate. */
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

/** The inspected job of command `commandId`, opened with the first of `tokens` that opens it. */
export async function readCommandJob(
  redis: RedisClient,
  commandId: string,
  tokens: readonly string[],
): Promise<JobRead> {
  const text = await redis.get(QuasarKeys.commandResult(commandId));
  if (text === null) return { kind: 'none' };
  const parsed = parseCommandResult(text);
  // A result filed under another command's key is not this command's answer.
  if (!parsed.ok || parsed.value.commandId !== commandId) return { kind: 'none' };
  const { job } = parsed.value;
  if (job === undefined) return { kind: 'none' };
  if (!isSealedJob(job)) return checked(job, false);
  const json = unsealJob(job, tokens, commandId);
  return json === undefined ? { kind: 'sealed' } : checked(json, true);
}

function checked(input: unknown, sealed: boolean): JobRead {
  const read = readInspectedJob(input);
  return read.ok
    ? { kind: 'job', job: read.value, sealed }
    : { kind: 'invalid', error: read.error };
}
