/**
 * The executor table: which verb runs how on which queue system. One row per (type, verb); a
 * pair missing here cannot be enabled.
 */
import { bullDeleteExecutor } from './bull-delete';
import { bullRetryExecutor } from './bull-retry';
import { bullmqDeleteExecutor } from './bullmq-delete';
import { bullmqRetryExecutor } from './bullmq-retry';
import { horizonDeleteExecutor, laravelDeleteExecutor } from './laravel-delete';
import { horizonRetryExecutor, laravelRetryExecutor } from './laravel-retry';
import { listDeleteExecutor } from './list-delete';
import { listRetryExecutor } from './list-retry';
import { sqsDeleteExecutor } from './sqs-delete';
import { sqsRetryExecutor } from './sqs-retry';
import { streamDeleteExecutor } from './stream-delete';
import { streamRetryExecutor } from './stream-retry';
import type { CommandExecutor, CommandVerb } from './types';

const ALL: readonly CommandExecutor[] = [
  listRetryExecutor,
  listDeleteExecutor,
  laravelRetryExecutor,
  laravelDeleteExecutor,
  horizonRetryExecutor,
  horizonDeleteExecutor,
  bullmqRetryExecutor,
  bullmqDeleteExecutor,
  bullRetryExecutor,
  bullDeleteExecutor,
  streamRetryExecutor,
  streamDeleteExecutor,
  sqsRetryExecutor,
  sqsDeleteExecutor,
];

const BY_KEY = new Map(ALL.map((e) => [`${e.type}/${e.verb}`, e]));

/** The executor of `verb` for a queue of probe type `type`, if there is one. */
export function executorFor(type: string, verb: CommandVerb): CommandExecutor | undefined {
  return BY_KEY.get(`${type}/${verb}`);
}
