/** Resolves `slowLog.*`: explicit option, then environment, then default, validated once. */
import { DEFAULTS, ENV } from './defaults';
import { booleanOf, numberOf, requireObject } from './read-option';
import type { Env, NumberRule } from './read-option';
import type { QuasarSlowLogOptions } from './types';

/** `slowLog` with every default applied. */
export interface ResolvedSlowLog {
  enabled: boolean;
  requestThresholdMs: number;
  jobThresholdMs: number;
  maxLen: number;
  bufferSize: number;
}

const MILLISECONDS: NumberRule = {
  accepts: (n) => Number.isFinite(n) && n >= 0,
  expected: 'a number of milliseconds ≥ 0',
};

const POSITIVE_INTEGER: NumberRule = {
  accepts: (n) => Number.isSafeInteger(n) && n > 0,
  expected: 'a positive integer',
};

/**
 * Applies the environment and the defaults to `slowLog` and validates the result.
 * @throws QuasarConfigError naming the option, e.g. `slowLog.requestThresholdMs`.
 */
export function resolveSlowLog(
  options: QuasarSlowLogOptions | undefined,
  env: Env,
): ResolvedSlowLog {
  const o: QuasarSlowLogOptions = options ?? {};
  requireObject('slowLog', o, 'an object');
  const d = DEFAULTS.slowLog;
  return {
    enabled: booleanOf('slowLog.enabled', o.enabled, env, ENV.slowLogEnabled, d.enabled),
    requestThresholdMs: numberOf(
      'slowLog.requestThresholdMs',
      o.requestThresholdMs,
      env,
      ENV.slowRequestMs,
      d.requestThresholdMs,
      MILLISECONDS,
    ),
    jobThresholdMs: numberOf(
      'slowLog.jobThresholdMs',
      o.jobThresholdMs,
      env,
      ENV.slowJobMs,
      d.jobThresholdMs,
      MILLISECONDS,
    ),
    maxLen: numberOf(
      'slowLog.maxLen',
      o.maxLen,
      env,
      ENV.slowLogMaxLen,
      d.maxLen,
      POSITIVE_INTEGER,
    ),
    // Memory of this process, not a fleet setting: no environment variable.
    bufferSize: numberOf(
      'slowLog.bufferSize',
      o.bufferSize,
      env,
      undefined,
      d.bufferSize,
      POSITIVE_INTEGER,
    ),
  };
}
