/**
 * The options of `enableRemoteControl()`, validated once: which verbs run on which queues, the
 * tokens commands are verified with, and the bounds of one command. Remote control stays off
 * until they are given.
 */
import { COMMAND_VERBS } from '../../schema/command';
import type { CommandVerb } from '../../schema/command';
import { BULK_DEFAULTS } from '../bulk/bulk-limits';
import { QuasarConfigError } from '../../options/errors';
import { booleanOf, fail, isObject, numberOf, pick } from '../../options/read-option';
import type { Env } from '../../options/read-option';
import { keyMatcher } from '../inspect/redact';
import type { KeyMatcher } from '../inspect/redact';

/** What `enableRemoteControl()` turns on. */
export interface RemoteControlOptions {
  /**
   * The verbs allowed per queue, e.g. `{ emails: ['retry', 'delete'] }`. A queue or verb left
   * out is rejected, and each queue must also be registered with `monitorQueue()`.
   */
  queues: Readonly<Record<string, readonly CommandVerb[]>>;
  /**
   * The shared secret commands are signed with (HMAC-SHA256). Environment: `QUASAR_TOKEN`.
   * @default unset: every command is rejected as unsigned unless `allowUnsigned` is true
   */
  token?: string;
  /**
   * Tokens commands are still accepted with during a rotation, for verification only: a
   * command verifies when its `sig` matches `token` or any of these. Requires `token`.
   * Environment: `QUASAR_TOKEN_PREVIOUS`, comma-separated.
   * @default none: only `token` is accepted
   */
  previousTokens?: readonly string[];
  /**
   * Executes unsigned commands when no token is set: anyone who can PUBLISH on the transport
   * Redis can then retry or delete jobs. With no token to seal with, an `INSPECT_JOB` result
   * then holds the job in clear (redacted and capped still) for its 5 minutes on the transport
   * Redis. Environment: `QUASAR_ALLOW_UNSIGNED_COMMANDS`.
   * @default false
   */
  allowUnsigned?: boolean;
  /**
   * The most jobs one `all-failed` command may retry or delete.
   * @default 1000
   */
  maxJobsPerCommand?: number;
  /**
   * Key patterns whose values `INSPECT_JOB` redacts, added to `DEFAULT_REDACT_KEYS` (password,
   * token, secret, authorization, cookie, card, …), never replacing them. A string matches any
   * key containing it, compared lower-case without `-`, `_` and spaces; a RegExp is tested
   * against the key as written. Environment: `QUASAR_REDACT_KEYS`, comma-separated strings.
   * @default none: the default patterns only
   */
  redactKeys?: readonly (string | RegExp)[];
  /**
   * The most failed jobs one `all-failed` command reads to select a failure group (newest
   * first), and one dry run reads to preview it: past them, the preview says it is not
   * complete. Environment: `QUASAR_MAX_SCAN_PER_COMMAND`.
   * @default 10000
   */
  maxScanPerCommand?: number;
  /**
   * Jobs an `all-failed` command moves between two pauses, so a bulk retry reaches the
   * workers in batches. Environment: `QUASAR_JOBS_PER_BATCH`.
   * @default 100
   */
  jobsPerBatch?: number;
  /**
   * The pause between two batches of an `all-failed` command, ms; 0 for none. Environment:
   * `QUASAR_BATCH_PAUSE_MS`.
   * @default 250
   */
  batchPauseMs?: number;
}

/** Remote-control options after validation, defaults and environment applied. */
export interface ResolvedRemoteControl {
  /** The allowed verbs per queue. */
  queues: ReadonlyMap<string, ReadonlySet<CommandVerb>>;
  token: string | undefined;
  /** Tokens still accepted during a rotation; empty outside one. */
  previousTokens: readonly string[];
  allowUnsigned: boolean;
  maxJobsPerCommand: number;
  /** The extra key patterns (the defaults always apply too). */
  redactKeys: readonly (string | RegExp)[];
  /** The default and extra patterns, compiled. */
  redact: KeyMatcher;
  maxScanPerCommand: number;
  jobsPerBatch: number;
  batchPauseMs: number;
}

/** Defaults of {@link RemoteControlOptions}. */
export const REMOTE_CONTROL_DEFAULTS = {
  allowUnsigned: false,
  maxJobsPerCommand: 1000,
  maxScanPerCommand: BULK_DEFAULTS.maxScan,
  jobsPerBatch: BULK_DEFAULTS.jobsPerBatch,
  batchPauseMs: BULK_DEFAULTS.batchPauseMs,
} as const;

const POSITIVE = {
  accepts: (n: number) => Number.isInteger(n) && n > 0,
  expected: 'a positive integer',
};
/** A pause longer than a minute per batch would hold a command for hours. */
const PAUSE = {
  accepts: (n: number) => Number.isInteger(n) && n >= 0 && n <= 60_000,
  expected: 'an integer from 0 to 60000',
};

function queuesOf(given: unknown): Map<string, Set<CommandVerb>> {
  if (!isObject(given)) fail('queues', undefined, 'an object of queue names to verbs', given);
  const queues = new Map<string, Set<CommandVerb>>();
  for (const [queue, verbs] of Object.entries(given)) {
    const option = `queues.${queue}`;
    if (queue === '') fail('queues', undefined, 'non-empty queue names', queue);
    if (!Array.isArray(verbs) || verbs.length === 0) {
      fail(option, undefined, `a non-empty array of ${COMMAND_VERBS.join(' or ')}`, verbs);
    }
    for (const verb of verbs as unknown[]) {
      if (!COMMAND_VERBS.includes(verb as CommandVerb)) {
        fail(option, undefined, `only ${COMMAND_VERBS.join(' or ')}`, verb);
      }
    }
    queues.set(queue, new Set(verbs as CommandVerb[]));
  }
  if (queues.size === 0) fail('queues', undefined, 'at least one queue', 'an empty object');
  return queues;
}

function tokenOf(explicit: unknown, env: Env): string | undefined {
  const s = pick(explicit, env, ['QUASAR_TOKEN']);
  if (s === undefined) return undefined;
  if (typeof s.value !== 'string' || s.value === '') {
    // Never echo what was given: it may be a secret in the wrong place.
    throw new QuasarConfigError('token', 'Invalid option "token": expected a non-empty string');
  }
  return s.value;
}

const PREVIOUS_TOKENS_ENV = 'QUASAR_TOKEN_PREVIOUS';

/** Never echoes what was given: a token's value must not reach a log. */
function previousTokensError(from: string | undefined, expected: string): never {
  const origin = from ? ` (from ${from})` : '';
  throw new QuasarConfigError(
    'previousTokens',
    `Invalid option "previousTokens"${origin}: expected ${expected}`,
  );
}

function previousTokensOf(explicit: unknown, env: Env, token: string | undefined): string[] {
  const s = pick(explicit, env, [PREVIOUS_TOKENS_ENV]);
  if (s === undefined) return [];
  // Only the variable is a comma-separated string; the option itself must be a list.
  const fromEnv = s.from !== undefined && typeof s.value === 'string';
  const list = fromEnv ? (s.value as string).split(',').map((t) => t.trim()) : s.value;
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string' && t !== '')) {
    return previousTokensError(s.from, 'a list of non-empty tokens');
  }
  if (list.length > 0 && token === undefined) {
    return previousTokensError(s.from, 'them only together with a token (token or QUASAR_TOKEN)');
  }
  return list as string[];
}

const REDACT_KEYS_ENV = 'QUASAR_REDACT_KEYS';
/** The most extra patterns, and the longest string pattern. */
const MAX_REDACT_KEYS = 256;
const MAX_REDACT_KEY_LENGTH = 128;

const isPattern = (p: unknown): p is string | RegExp =>
  p instanceof RegExp ||
  (typeof p === 'string' && p.trim() !== '' && p.length <= MAX_REDACT_KEY_LENGTH);

function redactKeysOf(explicit: unknown, env: Env): (string | RegExp)[] {
  const s = pick(explicit, env, [REDACT_KEYS_ENV]);
  if (s === undefined) return [];
  const fromEnv = s.from !== undefined && typeof s.value === 'string';
  const list = fromEnv ? (s.value as string).split(',').map((k) => k.trim()) : s.value;
  const expected = `a list of at most ${MAX_REDACT_KEYS} strings (1–${MAX_REDACT_KEY_LENGTH} characters) or RegExps`;
  if (!Array.isArray(list) || list.length > MAX_REDACT_KEYS || !list.every(isPattern)) {
    fail('redactKeys', s.from, expected, s.value);
  }
  return list;
}

/**
 * Validates and completes the options: explicit value, then environment, then default.
 * @throws QuasarConfigError naming the invalid option.
 */
export function resolveRemoteControl(options: unknown, env: Env): ResolvedRemoteControl {
  if (!isObject(options)) fail('remoteControl', undefined, 'an object with queues', options);
  const token = tokenOf(options.token, env);
  const redactKeys = redactKeysOf(options.redactKeys, env);
  return {
    queues: queuesOf(options.queues),
    token,
    previousTokens: previousTokensOf(options.previousTokens, env, token),
    allowUnsigned: booleanOf(
      'allowUnsigned',
      options.allowUnsigned,
      env,
      'QUASAR_ALLOW_UNSIGNED_COMMANDS',
      REMOTE_CONTROL_DEFAULTS.allowUnsigned,
    ),
    maxJobsPerCommand: numberOf(
      'maxJobsPerCommand',
      options.maxJobsPerCommand,
      {},
      undefined,
      REMOTE_CONTROL_DEFAULTS.maxJobsPerCommand,
      POSITIVE,
    ),
    maxScanPerCommand: numberOf(
      'maxScanPerCommand',
      options.maxScanPerCommand,
      env,
      'QUASAR_MAX_SCAN_PER_COMMAND',
      REMOTE_CONTROL_DEFAULTS.maxScanPerCommand,
      POSITIVE,
    ),
    jobsPerBatch: numberOf(
      'jobsPerBatch',
      options.jobsPerBatch,
      env,
      'QUASAR_JOBS_PER_BATCH',
      REMOTE_CONTROL_DEFAULTS.jobsPerBatch,
      POSITIVE,
    ),
    batchPauseMs: numberOf(
      'batchPauseMs',
      options.batchPauseMs,
      env,
      'QUASAR_BATCH_PAUSE_MS',
      REMOTE_CONTROL_DEFAULTS.batchPauseMs,
      PAUSE,
    ),
    redactKeys,
    redact: keyMatcher(redactKeys),
  };
}
