/**
 * The agent's monitor user: the application's Redis as the agent uses it. One selector per
 * monitored queue gives read-only access to that queue's keys for its probe's reads, and, only
 * for the verbs remote control enables on that queue, read-write access for its executors.
 */
import type { CommandVerb } from '../../commands/executors/types';
import type { QueueSpec } from '../parse-queues';
import { CONNECTION_COMMANDS } from './acl-user';
import type { AclSelector, AclUser } from './acl-user';
import { bullChannels, QUEUE_RULES } from './queue-rules';

/** The verbs remote control enables, per queue name. */
export type EnabledVerbs = Readonly<Record<string, readonly CommandVerb[]>>;

/** The selector of one queue, or undefined for a queue outside Redis (sqs). */
export function queueSelector(
  queue: QueueSpec,
  verbs: readonly CommandVerb[],
): AclSelector | undefined {
  const rules = QUEUE_RULES[queue.type];
  if (!rules) return undefined;
  const writes = verbs.flatMap((verb) => rules.writes[verb] ?? []);
  // Scripts (EVAL, EVALSHA) declare their keys read-write, so writes need `~`, not `%R~`.
  const access = writes.length > 0 ? '~' : '%R~';
  const channels = writes.includes('publish') && queue.type === 'bull';
  return {
    keys: rules.keys(queue.name, queue.options).map((k) => `${access}${k}`),
    ...(channels ? { channels: bullChannels(queue.name, queue.options) } : {}),
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
