/**
 * `promote` on a `stream` queue, as Gravito Stream's own dashboard does it (Zenith's "Process
 * now" on a delayed job, `QueueService.retryJob`, and "Retry all delayed"): the entry leaves
 * the lane's `:delayed` zset and is `LPUSH`ed, unchanged, onto its lane, where a worker pops it
 * like any waiting job. Each entry moves only if it still was in the zset (a worker pops a due
 * delayed job straight from the zset), in one script.
 *
 * Zenith promotes the base lane only; here every lane the probe counts is read, each job going
 * back to its own lane. `all-delayed` takes the `maxJobs` entries due soonest across the lanes;
 * `job` looks for the job's exact `id` among the `maxJobs` due soonest of each lane. A dry run
 * lists what it would promote and moves nothing.
 */
import { CommandRejectedError } from '../../../commands/executor';
import type { CommandExecutor } from '../../../commands/executor';
import type { RedisClient } from '../../../redis/redis-client';
import { promoteBound, promotePreview, requiredJobId } from '../queue-state';
import { NO_LONGER_DELAYED } from '../bull-family/delayed-jobs';
import type { StreamKeys } from './keys';
import { streamLanes } from './lanes';

/** One delayed entry: its exact text, due time and lane. */
interface DelayedEntry {
  raw: string;
  due: number;
  lane: string;
}

/** KEYS: per entry its delayed zset and its lane; ARGV: the entries. Returns how many moved. */
const PROMOTE = `local n = 0
for i = 1, #ARGV do
  if redis.call('ZREM', KEYS[i * 2 - 1], ARGV[i]) == 1 then
    redis.call('LPUSH', KEYS[i * 2], ARGV[i])
    n = n + 1
  end
end
return n`;

/** The `maxJobs` entries due soonest of each lane, all lanes together, soonest first. */
async function soonest(
  redis: RedisClient,
  keys: StreamKeys,
  lanes: string[],
  maxJobs: number,
): Promise<DelayedEntry[]> {
  const entries: DelayedEntry[] = [];
  for (const lane of lanes) {
    const reply = await redis.zrange(keys.delayed(lane), 0, maxJobs - 1, 'WITHSCORES');
    for (let i = 0; i + 1 < reply.length; i += 2) {
      entries.push({ raw: reply[i] as string, due: Number(reply[i + 1]), lane });
    }
  }
  return entries.sort((a, b) => a.due - b.due);
}

/** The entry's job id, if it is a JSON job with a string id. */
function idOf(raw: string): string | undefined {
  try {
    const job: unknown = JSON.parse(raw, (key, value: unknown) =>
      key === '' || key === 'id' ? value : undefined,
    );
    const id = (job as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Promotes delayed Stream jobs. */
export const streamPromoteExecutor: CommandExecutor = {
  type: 'stream',
  verb: 'promote',
  async execute(context, target) {
    const maxJobs = promoteBound(target);
    const { redis, keys, lanes } = streamLanes(context, target.queue);
    const found = await soonest(redis, keys, lanes, maxJobs);
    let chosen: DelayedEntry[];
    if (target.scope === 'job') {
      const jobId = requiredJobId(target);
      const entry = found.find((e) => idOf(e.raw) === jobId);
      if (!entry) throw new CommandRejectedError(`job ${jobId} is not among the delayed jobs`);
      chosen = [entry];
    } else {
      chosen = found.slice(0, maxJobs);
    }
    if (target.dryRun === true) {
      return promotePreview(
        chosen.map((e) => idOf(e.raw)),
        target.scope === 'job' ? 1 : maxJobs,
      );
    }
    if (chosen.length === 0) return { affected: 0 };
    const scriptKeys = chosen.flatMap((e) => [keys.delayed(e.lane), e.lane]);
    const moved = Number(
      await redis.eval(PROMOTE, scriptKeys.length, ...scriptKeys, ...chosen.map((e) => e.raw)),
    );
    if (target.scope === 'job' && moved === 0) {
      throw new CommandRejectedError(`job ${target.jobId ?? ''} is no longer delayed`);
    }
    const gone = chosen.length - moved;
    return gone > 0
      ? { affected: moved, skipped: [{ reason: NO_LONGER_DELAYED, count: gone }] }
      : { affected: moved };
  },
};
