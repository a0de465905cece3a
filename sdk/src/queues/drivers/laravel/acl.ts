/** The Redis ACL rules of a plain `laravel` queue: its keys, read only. */
import type { ProbeOptions } from '../../types';
import type { QueueAclRules } from '../types';
import { laravelOptions, laravelQueueKeys } from './keys';

/** The patterns of a Laravel queue's keys: the list and everything under `{list}:`. */
export function laravelQueuePatterns(queue: string, options: ProbeOptions, type: string): string[] {
  const { waiting } = laravelQueueKeys(laravelOptions(queue, type, options), queue);
  return [waiting, `${waiting}:*`];
}

/** Reads only: plain Laravel keeps failed jobs in SQL, so its executors never touch Redis. */
export const laravelAclRules: QueueAclRules = {
  keys: (queue, options) => laravelQueuePatterns(queue, options, 'laravel'),
  reads: ['llen', 'zcard', 'lindex'],
  writes: { retry: [], delete: [], inspect: [], pause: [], promote: [] },
};
