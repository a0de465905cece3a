/**
 * The agent's transport user: the Quasar Redis as one service's agents use it. It writes only
 * that service's heartbeats, queue hash and slow log, claims commands and writes their results
 * and inspected jobs, listens on that service's command channels and publishes on the results
 * channel alone.
 */
import { QuasarKeys } from '../../schema/keys';
import { CONNECTION_COMMANDS } from './acl-user';
import type { AclUser } from './acl-user';

/** Rules for the agents of `service`, as user `name`. */
export function transportUser(name: string, service: string): AclUser {
  const { v2 } = QuasarKeys;
  return {
    purpose: `agent transport user of service ${service}: heartbeats, queue snapshots, slow log, commands and their results`,
    name,
    // Channel rules apply to PUBLISH as much as to SUBSCRIBE, so the command channels are
    // granted with SUBSCRIBE only, and PUBLISH gets a selector of its own.
    root: [...CONNECTION_COMMANDS, 'subscribe', 'unsubscribe'],
    rootChannels: [QuasarKeys.commandChannel(service, '*')],
    selectors: [
      // Both key layouts: an agent may write either (`keyLayout`), and a move to v2 is a restart.
      {
        keys: [`~${QuasarKeys.node(service, '*')}`, `~${v2.node(service, '*')}`],
        commands: ['set', 'del'],
      },
      {
        keys: [`~${QuasarKeys.nodeIndex}`, `~${v2.nodeIndex(service)}`],
        commands: ['zadd', 'zrem'],
      },
      {
        keys: [`~${QuasarKeys.queues(service)}`, `~${v2.queues(service)}`],
        commands: ['hset', 'hdel', 'expire'],
      },
      { keys: [`~${QuasarKeys.slowLog(service)}`, `~${v2.slowLog(service)}`], commands: ['xadd'] },
      { keys: [`~${QuasarKeys.services}`], commands: ['zadd'] },
      // An inspected job and its result are written in one MULTI (on a single Redis).
      {
        keys: [
          `~${QuasarKeys.commandClaim('*')}`,
          `~${QuasarKeys.commandResult('*')}`,
          `~${QuasarKeys.commandJob('*')}`,
        ],
        commands: ['set', 'multi', 'exec'],
      },
      { channels: [QuasarKeys.commandResultsChannel], commands: ['publish'] },
    ],
  };
}
