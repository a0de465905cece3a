/**
 * The Redis layout shared by BullMQ and legacy Bull: every key of a queue lives under
 * `{prefix}:{queue}:`, a state under `{prefix}:{queue}:{state}` (`wait`, `failed`, …) and a
 * job's hash under `{prefix}:{queue}:{jobId}`. This is the only module that concatenates those
 * key strings, as BullMQ's own `QueueKeys` is for BullMQ.
 */
import { optionError, stringOption } from '../../probe-options';
import type { ProbeOptions } from '../../types';

/** The prefix both libraries use when none is configured. */
const DEFAULT_BULL_PREFIX = 'bull';

/** The keys of one queue. */
export interface BullKeys {
  /** The key of one state list or set, or of a flag (`wait`, `failed`, `meta-paused`, …). */
  state(name: string): string;
  /** The hash of one job. */
  job(id: string): string;
  /** The list of log lines one job wrote (`job.log()`), oldest first. */
  logs(id: string): string;
}

/** Builds the keys of `queue` under `prefix` (which may be a hash tag such as `{bull}`). */
export function bullKeys(prefix: string, queue: string): BullKeys {
  const base = `${prefix}:${queue}:`;
  return {
    state: (name) => base + name,
    job: (id) => base + id,
    logs: (id) => `${base}${id}:logs`,
  };
}

/**
 * The `prefix` option of a `bullmq` or `bull` probe: a non-empty string, `bull` by default.
 * @throws QuasarConfigError naming `prefix`.
 */
export function bullPrefixOption(queue: string, type: string, options: ProbeOptions): string {
  const prefix = stringOption(queue, type, options, 'prefix', DEFAULT_BULL_PREFIX);
  if (prefix === '') throw optionError(queue, type, 'prefix', 'a non-empty string');
  return prefix;
}
