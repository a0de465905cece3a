/**
 * The agent's monitor user: the application's Redis as the agent uses it. One selector per
 * monitored queue gives read-only access to that queue's keys for its probe's reads, and, only
 * for the verbs remote control enables on that queue, read-write access for its executors. What
 * each queue system needs is its driver's ACL rules (`queues/drivers/<system>/acl.ts`).
 */
import { driverOf } from '../../queues/drivers/table';
import type { CommandVerb } from '../../schema/command';
import type { QueueSpec } from '../parse-queues';
import { CONNECTION_COMMANDS } from './acl-user';
import type { AclSelector, AclUser } from './acl-user';

/** The verbs remote control enables, per queue name. */
export type EnabledVerbs = Readonly<Record<string, readonly CommandVerb[]>>;

/** The selector of one queue, or undefined for a queue outside Redis (sqs). */
export function queueSelector(
  queue: QueueSpec,
  verbs: readonly CommandVerb[],
): AclSelector | undefined {
  const rules = driverOf(queue.type)?.acl;
  if (!rules) return undefined;
  const writes = verbs.flatMap((verb) => rules.writes[verb]);
  // Scripts (EVAL, EVALSHA) declare their keys read-write, so writes need `~`, not `%R~`.
  const access = writes.length > 0 ? '~' : '%R~';
  const channels = writes.includes('publish')
    ? rules.channels?.(queue.name, queue.options)
    : undefined;
  return {
    keys: rules.keys(queue.name, queue.options).map((k) => `${access}${k}`),
    ...(channels ? { channels } : {}),
    commands: [...rules.reads, ...writes],
  };
}

/** Rules for the monitor connection of `service`'s agents, as user `name`. */
export function monitorUser(
  name: string,
  service: string,
  queues: readonly QueueSpec[],
  enabled: EnabledVerbs,
): AclUser {
  const selectors = queues.flatMap((q) => queueSelector(q, enabled[q.name] ?? []) ?? []);
  return {
    purpose: `agent monitor user of service ${service}: reads its queues${
      Object.keys(enabled).length > 0 ? ', and moves failed jobs where remote control is on' : ''
    }`,
    name,
    root: [...CONNECTION_COMMANDS],
    selectors,
  };
}
