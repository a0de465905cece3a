/**
 * `inspect` on a plain `redis` list queue: rejected. A list holds jobs as bare values, with no
 * index by id, so finding one means reading the whole list; the queue's own tooling, which
 * knows its payload format, is the place for that.
 */
import { CommandRejectedError } from '../../../commands/executor';
import type { CommandExecutor } from '../../../commands/executor';

/** Why a plain list queue cannot be inspected by job id. */
export const LIST_INSPECT_REASON =
  'a plain Redis list queue keeps no index by job id, so one job cannot be read by its id';

/** Rejects: plain lists have no job ids to look up. */
export const listInspectExecutor: CommandExecutor = {
  type: 'redis',
  verb: 'inspect',
  execute() {
    return Promise.reject(new CommandRejectedError(LIST_INSPECT_REASON));
  },
};
