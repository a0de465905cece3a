import { resolveOptions } from '../../src/options/resolve';
import type { QuasarOptions } from '../../src/options/types';
import { configErrorOf } from '../support/config-error';

const base: QuasarOptions = { service: 'api' };

describe('slowLog options', () => {
  it('defaults to on, 1 s for requests, 5 s for jobs, MAXLEN ~ 10000 and 1000 buffered', () => {
    expect(resolveOptions(base, {}).slowLog).toEqual({
      enabled: true,
      requestThresholdMs: 1000,
      jobThresholdMs: 5000,
      maxLen: 10_000,
      bufferSize: 1000,
    });
  });

  it('reads QUASAR_SLOW_LOG, QUASAR_SLOW_REQUEST_MS, QUASAR_SLOW_JOB_MS and QUASAR_SLOW_LOG_MAXLEN', () => {
    const env = {
      QUASAR_SLOW_LOG: 'off',
      QUASAR_SLOW_REQUEST_MS: '250',
      QUASAR_SLOW_JOB_MS: ' 1500.5 ',
      QUASAR_SLOW_LOG_MAXLEN: '500',
    };
    expect(resolveOptions(base, env).slowLog).toEqual({
      enabled: false,
      requestThresholdMs: 250,
      jobThresholdMs: 1500.5,
      maxLen: 500,
      bufferSize: 1000,
    });
  });

  it('lets explicit options win over the environment', () => {
    const slowLog = resolveOptions(
      { ...base, slowLog: { enabled: true, requestThresholdMs: 0, jobThresholdMs: 10, maxLen: 7 } },
      {
        QUASAR_SLOW_LOG: 'false',
        QUASAR_SLOW_REQUEST_MS: '250',
        QUASAR_SLOW_JOB_MS: '99',
        QUASAR_SLOW_LOG_MAXLEN: '500',
      },
    ).slowLog;
    expect(slowLog).toMatchObject({
      enabled: true,
      requestThresholdMs: 0,
      jobThresholdMs: 10,
      maxLen: 7,
    });
  });

  it.each<[string, QuasarOptions, Record<string, string>, string, RegExp]>([
    [
      'a negative request threshold',
      { ...base, slowLog: { requestThresholdMs: -1 } },
      {},
      'slowLog.requestThresholdMs',
      /"slowLog.requestThresholdMs": expected a number of milliseconds ≥ 0, got -1/,
    ],
    [
      'an infinite job threshold',
      { ...base, slowLog: { jobThresholdMs: Infinity } },
      {},
      'slowLog.jobThresholdMs',
      /"slowLog.jobThresholdMs"/,
    ],
    [
      'a threshold given as a string',
      { ...base, slowLog: { jobThresholdMs: '5' as unknown as number } },
      {},
      'slowLog.jobThresholdMs',
      /got "5"/,
    ],
    [
      'garbage in QUASAR_SLOW_REQUEST_MS',
      base,
      { QUASAR_SLOW_REQUEST_MS: 'slow' },
      'slowLog.requestThresholdMs',
      /"slowLog.requestThresholdMs" \(from QUASAR_SLOW_REQUEST_MS\)/,
    ],
    [
      'a blank QUASAR_SLOW_JOB_MS',
      base,
      { QUASAR_SLOW_JOB_MS: '  ' },
      'slowLog.jobThresholdMs',
      /from QUASAR_SLOW_JOB_MS/,
    ],
    [
      'a fractional maxLen',
      { ...base, slowLog: { maxLen: 10.5 } },
      {},
      'slowLog.maxLen',
      /"slowLog.maxLen": expected a positive integer/,
    ],
    [
      'a zero QUASAR_SLOW_LOG_MAXLEN',
      base,
      { QUASAR_SLOW_LOG_MAXLEN: '0' },
      'slowLog.maxLen',
      /QUASAR_SLOW_LOG_MAXLEN/,
    ],
    [
      'a zero bufferSize',
      { ...base, slowLog: { bufferSize: 0 } },
      {},
      'slowLog.bufferSize',
      /"slowLog.bufferSize": expected a positive integer, got 0/,
    ],
    [
      'a non-boolean enabled',
      { ...base, slowLog: { enabled: 'yes' as unknown as boolean } },
      {},
      'slowLog.enabled',
      /"slowLog.enabled"/,
    ],
    ['slowLog that is not an object', { ...base, slowLog: 5 as never }, {}, 'slowLog', /"slowLog"/],
  ])('rejects %s, naming the option', (_label, options, env, option, message) => {
    const error = configErrorOf(() => resolveOptions(options, env));
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
  });
});
