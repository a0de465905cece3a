/**
 * The queue-driver contract: everything Quasar knows about one queue system, as one record.
 * Each system has a folder beside this file (its keys, its probe, its executors, its ACL rules)
 * and one row in `table.ts`; the probe registry, the executor registry, the ACL generator and
 * the sidecar's queue shorthand all read that table.
 */
import type { CommandExecutor } from '../../commands/executor';
import type { CommandVerb } from '../../schema/command';
import type { ProbeOptions, ProbeType } from '../types';

/**
 * What a Redis ACL must allow on one queue of this system (see `quasar-agent acl`): the key
 * patterns of its layout, the commands its probe reads with, and the commands each verb's
 * executor sends, those its Lua scripts call included, since Redis checks them against the ACL
 * too.
 */
export interface QueueAclRules {
  /** Key patterns of `queue` (without the ACL's `~`), from the driver's own key builders. */
  keys(queue: string, options: ProbeOptions): string[];
  /** The probe's read commands, lower-case. */
  readonly reads: readonly string[];
  /** Each verb's commands; empty where the executor never touches Redis. */
  readonly writes: { readonly [V in CommandVerb]: readonly string[] };
  /** Channels the executors' scripts `PUBLISH` on, for systems whose scripts do. */
  channels?(queue: string, options: ProbeOptions): string[];
}

/**
 * What the sidecar's `name[:type[:prefix]]` shorthand (the Go agent's `QUASAR_QUEUES` syntax)
 * can say about a queue of this system.
 */
export interface QueueShorthand {
  /**
   * The probe option the third segment sets, or null when the system takes none: the segment
   * is then ignored with a warning, as the Go agent ignores it.
   */
  readonly prefixOption: string | null;
  /**
   * The probe option the sidecar's Laravel connection prefix (`--laravel-prefix`) sets on a
   * queue of this system written as a shorthand; absent when that prefix does not apply.
   */
  readonly laravelPrefixOption?: string;
  /**
   * Why a queue of this system cannot be written as a shorthand at all, and where to declare
   * it instead; absent when it can.
   */
  readonly unavailable?: string;
}

/** One queue system. */
export interface QueueDriver {
  /** The `monitorQueue()` type, and the snapshot's `driver` (`bullmq`, `laravel`, …). */
  readonly type: string;
  /** Reads one queue's counts. */
  readonly probe: ProbeType;
  /** The executor of each remote-control verb, or null where the system has none. */
  readonly executors: { readonly [V in CommandVerb]: CommandExecutor | null };
  /** The Redis ACL rules of one queue; null for a system outside Redis (SQS). */
  readonly acl: QueueAclRules | null;
  /** What the sidecar's queue shorthand can say about a queue of this system. */
  readonly shorthand: QueueShorthand;
}
