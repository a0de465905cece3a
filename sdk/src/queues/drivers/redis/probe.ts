/**
 * `redis`: a plain Redis list whose key is the queue's name. Every job in it is waiting; a
 * plain list has no notion of active, delayed or failed jobs.
 */
import { countOf } from '../../failed-sample';
import { monitorRedis } from '../../monitor-redis';
import { checkKnownOptions } from '../../probe-options';
import type { ProbeType, QueueProbe } from '../../types';
import { listKeys } from './keys';

export const redisListProbe: ProbeType = {
  type: 'redis',
  usesRedis: true,
  options: [],
  create(queue, options): QueueProbe {
    checkKnownOptions(queue, this, options);
    return {
      queue,
      driver: 'redis',
      async read(context) {
        const waiting = countOf(await monitorRedis(context).llen(listKeys(queue).waiting));
        return { size: { waiting, active: 0, failed: 0, delayed: 0 } };
      },
    };
  },
};
