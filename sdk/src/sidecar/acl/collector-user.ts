/**
 * The collector's user: it reads heartbeats and queue snapshots, prunes the node index,
 * consumes the slow-log streams, issues commands, reads their results and keeps the audit
 * stream; as one of several replicas, it announces itself, takes leases and shares what its
 * SCAN found. It has no pattern outside `gravito:quasar:*`, so it cannot touch an application's
 * queues.
 */
import { QuasarKeys } from '../../schema/keys';
import { CONNECTION_COMMANDS } from './acl-user';
import type { AclUser } from './acl-user';

/** Rules for the collector, as user `name`. */
export function collectorUser(name: string): AclUser {
  return {
    purpose: 'collector user: reads nodes and queues, consumes slow logs, issues commands, audits',
    name,
    // SCAN has no key argument; the keys it lists can only be used through the selectors.
    root: [...CONNECTION_COMMANDS, 'scan', 'time'],
    selectors: [
      // PTTL and STRLEN come from a script (EVALSHA, or EVAL when Redis lacks it) that declares
      // its keys as read-write, so the pattern cannot be read-only; the commands still only read.
      {
        keys: [`~${QuasarKeys.nodeScanPattern}`],
        commands: ['mget', 'evalsha', 'eval', 'pttl', 'strlen'],
      },
      // ZADD: the replica holding the scan lease adds the original agents it found. The v2
      // (cluster) layout's per-service indexes are read and pruned the same way.
      {
        keys: [`~${QuasarKeys.nodeIndex}`, `~${QuasarKeys.v2.nodeIndex('*')}`],
        commands: ['zrange', 'zrem', 'zadd'],
      },
      // The v2 services index: read each cycle; a service whose index stayed empty is dropped by
      // a script that compares its score with Redis TIME (which the root allows).
      {
        keys: [`~${QuasarKeys.services}`],
        commands: ['zrange', 'evalsha', 'eval', 'zscore', 'zrem'],
      },
      // Replicas: the membership (a script reading TIME, which the root allows), the leases
      // (SET NX, and scripts comparing the holder before PEXPIRE or DEL) and the stream index.
      {
        keys: [`~${QuasarKeys.collectors}`],
        commands: ['evalsha', 'eval', 'zadd', 'zremrangebyscore', 'zrange', 'zrem'],
      },
      {
        keys: [`~${QuasarKeys.leasePattern}`],
        commands: ['set', 'evalsha', 'eval', 'get', 'pexpire', 'del'],
      },
      { keys: [`~${QuasarKeys.streamIndex}`], commands: ['zadd', 'zremrangebyscore', 'zrange'] },
      // Queue hashes are read by a bounded script too: sizes first, then only the fields in bounds.
      {
        keys: [`~${QuasarKeys.queues('*')}`],
        commands: ['evalsha', 'eval', 'hlen', 'hkeys', 'hstrlen', 'hget'],
      },
      // The consumer's bookkeeping scripts (hand back pending entries at stop, delete dead
      // consumers) run as EVALSHA/EVAL; Redis checks the commands inside against this selector.
      {
        keys: [`~${QuasarKeys.slowLogScanPattern}`],
        commands: [
          'xreadgroup',
          'xack',
          'xautoclaim',
          'xgroup|create',
          'xinfo|groups',
          'xrevrange',
          'evalsha',
          'eval',
          'xpending',
          'xclaim',
          'xinfo|consumers',
          'xgroup|delconsumer',
        ],
      },
      // One selector for both: the status route reads a result and its issued command in one
      // MGET, and a command must be allowed by a single selector. SET NX on a result records
      // a command no agent received.
      {
        keys: [`~${QuasarKeys.commandIssued('*')}`, `~${QuasarKeys.commandResult('*')}`],
        commands: ['set', 'get', 'mget'],
      },
      // The job an INSPECT_JOB returned, read by `GET /api/pulse/commands/:id/job` as its
      // length and one bounded range.
      { keys: [`~${QuasarKeys.commandJob('*')}`], commands: ['strlen', 'getrange'] },
      { keys: [`~${QuasarKeys.audit}`], commands: ['xadd', 'xtrim', 'xrevrange', 'xrange'] },
      // Who paused which queue: written (MULTI HSET, EXPIRE) on PAUSE_QUEUE, cleared (HDEL) on
      // RESUME_QUEUE, and read (HMGET of the paused queues) each cycle.
      {
        keys: [`~${QuasarKeys.queuePauses('*')}`],
        commands: ['multi', 'exec', 'hset', 'expire', 'hdel', 'hmget'],
      },
      {
        channels: [QuasarKeys.commandChannel('*', '*'), QuasarKeys.commandResultsChannel],
        commands: ['publish'],
      },
    ],
  };
}
