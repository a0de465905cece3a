/**
 * The driver table: every queue system Quasar knows, one row each. The probe registry
 * (`monitorQueue()`), the executor registry (remote control), the ACL generator
 * (`quasar-agent acl`) and the sidecar's queue shorthand all read it. Adding a system is one
 * folder beside this file and one row here.
 */
import { bullDriver } from './bull/driver';
import { bullmqDriver } from './bullmq/driver';
import { horizonDriver } from './horizon/driver';
import { laravelDriver } from './laravel/driver';
import { redisDriver } from './redis/driver';
import { sqsDriver } from './sqs/driver';
import { streamDriver } from './stream/driver';
import type { QueueDriver } from './types';

/** Every queue system, in the order docs and error messages list them. */
export const QUEUE_DRIVERS: readonly QueueDriver[] = [
  redisDriver,
  laravelDriver,
  horizonDriver,
  bullmqDriver,
  bullDriver,
  streamDriver,
  sqsDriver,
];

const BY_TYPE: ReadonlyMap<string, QueueDriver> = new Map(QUEUE_DRIVERS.map((d) => [d.type, d]));

/** The driver of `type`, or undefined for a type no row declares. */
export function driverOf(type: string): QueueDriver | undefined {
  return BY_TYPE.get(type);
}
