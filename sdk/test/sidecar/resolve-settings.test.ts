/**
 * Settings precedence (flag, then variable, then config file, then default) and error
 * messages that name the source and the setting.
 */
import { SidecarConfigError } from '../../src/sidecar/errors';
import { parseArgv } from '../../src/sidecar/parse-argv';
import { resolveSettings } from '../../src/sidecar/resolve-settings';
import type { Env } from '../../src/sidecar/resolve-settings';

const CONFIG = '/etc/quasar-agent.json';

function resolve(argv: string[], env: Env = {}, config?: unknown) {
  const files: Record<string, string> =
    config === undefined
      ? {}
      : { [CONFIG]: typeof config === 'string' ? config : JSON.stringify(config) };
  const read = (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    return text;
  };
  const withConfig = config === undefined ? env : { QUASAR_CONFIG: CONFIG, ...env };
  return resolveSettings(parseArgv(argv), withConfig, read);
}

const failure = (f: () => unknown): SidecarConfigError => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(SidecarConfigError);
    return error as SidecarConfigError;
  }
  throw new Error('expected a SidecarConfigError');
};

describe('resolveSettings', () => {
  it('applies the defaults when only the service is set', () => {
    const { values, origins } = resolve(['--service', 'shop']);
    expect(values).toMatchObject({
      service: 'shop',
      transport: 'redis://localhost:6379',
      interval: 10,
      queues: [],
      checks: [],
      hostRoot: '/',
      otlpExport: false,
      logLevel: 'info',
      slowRequestMs: 1000,
    });
    expect(values.name).toBeUndefined();
    expect(values.monitor).toBeUndefined();
    expect(values.language).toBeUndefined();
    expect(origins.service).toEqual({ kind: 'flag', name: '--service' });
    expect(origins.interval).toEqual({ kind: 'default', name: 'interval' });
  });

  it('takes the flag over the variable, the variable over the config file, the file over the default', () => {
    const config = { service: 'from-file', interval: 3, name: 'file-node', language: 'python' };
    const env = { QUASAR_SERVICE: 'from-env', QUASAR_INTERVAL: '2' };
    const { values, origins } = resolve(['--interval', '1'], env, config);
    expect(values.interval).toBe(1);
    expect(values.service).toBe('from-env');
    expect(values.name).toBe('file-node');
    expect(values.language).toBe('python');
    expect(values.logLevel).toBe('info');
    expect(origins.name).toEqual({ kind: 'config', name: `"name" in ${CONFIG}` });
  });

  it('reads the transport variables in the Go agent order', () => {
    const env = { REDIS_URL: 'redis://c:6379', QUASAR_REDIS_URL: 'redis://b:6379' };
    expect(resolve(['--service', 's'], env).values.transport).toBe('redis://b:6379');
    expect(
      resolve(['--service', 's'], { ...env, QUASAR_TRANSPORT_REDIS_URL: 'rediss://a:6380' }).values
        .transport,
    ).toBe('rediss://a:6380');
  });

  it('treats a blank variable as unset', () => {
    expect(
      resolve(['--service', 's'], { QUASAR_INTERVAL: '  ', QUASAR_NAME: '' }).values,
    ).toMatchObject({
      interval: 10,
    });
  });

  it('replaces a list from a lower source instead of merging it', () => {
    const { values } = resolve(
      ['--queue', 'a'],
      { QUASAR_SERVICE: 's', QUASAR_QUEUES: 'b,c' },
      {
        queues: ['d'],
      },
    );
    expect(values.queues.map((q) => q.name)).toEqual(['a']);
  });

  it('reads nested config keys and every queue and check form from the file', () => {
    const { values } = resolve(
      [],
      {},
      {
        service: 'shop',
        queues: [
          'default:laravel:laravel_database_queues',
          { name: 'jobs', type: 'sqs', options: { queueUrl: 'http://q/1/jobs' } },
        ],
        checks: [{ name: 'web', type: 'http', url: 'http://127.0.0.1/' }],
        slowLog: { jobThresholdMs: 30000, maxLen: 500 },
        otel: { exportOtlp: true },
        laravelWorkers: false,
        name: null,
      },
    );
    expect(values).toMatchObject({
      slowJobMs: 30000,
      slowLogMaxLen: 500,
      otlpExport: true,
      laravelWorkers: false,
    });
    expect(values.name).toBeUndefined();
    expect(values.queues[1]).toEqual({
      name: 'jobs',
      type: 'sqs',
      options: { queueUrl: 'http://q/1/jobs' },
      form: 'object',
    });
    expect(values.checks).toEqual([
      { name: 'web', options: { type: 'http', url: 'http://127.0.0.1/' } },
    ]);
  });

  it('requires the service, naming every way to set it', () => {
    const error = failure(() => resolve([]));
    expect(error.setting).toBe('service');
    expect(error.message).toBe(
      'service is required (set by --service, QUASAR_SERVICE or "service" in the config file)',
    );
  });

  it('names the variable a bad value came from, and the flag and variable of its setting', () => {
    const error = failure(() => resolve(['--service', 's'], { QUASAR_INTERVAL: 'ten' }));
    expect(error.setting).toBe('interval');
    expect(error.message).toBe(
      'QUASAR_INTERVAL: expected a number of seconds ≥ 0.1, got "ten" (set by --interval, QUASAR_INTERVAL or "interval" in the config file)',
    );
  });

  it('names the flag a bad value came from', () => {
    const error = failure(() => resolve(['--service', 's', '--interval', '0']));
    expect(error.message).toMatch(
      /^--interval: expected a number of seconds ≥ 0\.1, got "0" \(set by --interval, QUASAR_INTERVAL/,
    );
  });

  it('names the config key and file a bad value came from', () => {
    const error = failure(() => resolve([], {}, { service: 'a b' }));
    expect(error.message).toMatch(
      /^"service" in \/etc\/quasar-agent\.json: expected a name without spaces/,
    );
  });

  it('never shows the password of a bad Redis URL', () => {
    const error = failure(() =>
      resolve(['--service', 's'], { QUASAR_MONITOR_REDIS_URL: 'http://app:s3cret@cache:6379' }),
    );
    expect(error.message).toMatch(
      /^QUASAR_MONITOR_REDIS_URL: expected a redis:\/\/, rediss:\/\/, redis\+cluster:\/\/ or rediss\+cluster:\/\/ URL, got "http:\/\/app:\*\*\*@cache:6379"/,
    );
    expect(error.message).not.toContain('s3cret');
  });

  it('names the setting of a bad queue or check', () => {
    expect(
      failure(() => resolve([], {}, { service: 's', queues: [{ name: 'a', prefix: 'x' }] }))
        .message,
    ).toMatch(
      /^"queues" in \/etc\/quasar-agent\.json: queues\[0\]: unknown key "prefix".*\(set by --queue, QUASAR_QUEUES or "queues" in the config file\)$/,
    );
    expect(failure(() => resolve(['--service', 's'], { QUASAR_CHECKS: '{' })).message).toMatch(
      /^QUASAR_CHECKS: expected a JSON array of checks.*\(set by QUASAR_CHECKS or "checks" in the config file\)$/,
    );
  });

  it('warns, naming the variable, about queue entries the Go agent would ignore', () => {
    const { values, warnings } = resolve(['--service', 's'], {
      QUASAR_QUEUES: 'a:sqs,b:rabbit,jobs:redis:app_,default',
    });
    expect(values.queues.map((q) => q.name)).toEqual(['jobs', 'default']);
    expect(warnings).toEqual([
      expect.stringMatching(/^QUASAR_QUEUES: queue "a" skipped: sqs queues need a queueUrl/),
      expect.stringMatching(/^QUASAR_QUEUES: queue "b" has unknown type "rabbit"/),
      expect.stringMatching(/^QUASAR_QUEUES: queue "jobs": type redis takes no prefix.*"app_"/),
    ]);
  });

  it('puts the Laravel prefix on the laravel and horizon queues given as shorthand', () => {
    const { values, warnings } = resolve(
      [],
      { QUASAR_LARAVEL_PREFIX: 'shop-database-' },
      {
        service: 's',
        queues: ['default', 'mails:horizon', 'jobs:bullmq', { name: 'own', type: 'laravel' }],
      },
    );
    expect(values.queues.map((q) => q.options)).toEqual([
      { redisPrefix: 'shop-database-' },
      { redisPrefix: 'shop-database-' },
      {},
      {},
    ]);
    expect(warnings).toEqual([]);
  });

  it('takes the Laravel prefix from the flag over the variable over the config file', () => {
    const config = { service: 's', queues: ['default'], laravelPrefix: 'file_' };
    const env = { QUASAR_LARAVEL_PREFIX: 'env_' };
    expect(resolve(['--laravel-prefix', 'flag_'], env, config).values.queues[0]?.options).toEqual({
      redisPrefix: 'flag_',
    });
    expect(resolve([], env, config).values.queues[0]?.options).toEqual({ redisPrefix: 'env_' });
    expect(resolve([], {}, config).values.queues[0]?.options).toEqual({ redisPrefix: 'file_' });
    expect(resolve([], {}, { service: 's', queues: ['default'] }).values.laravelPrefix).toBe(
      undefined,
    );
  });

  it('warns when the Laravel prefix applies to no queue, and names a bad one', () => {
    const { warnings } = resolve([
      '--service',
      's',
      '--laravel-prefix',
      'app_',
      '--queue',
      'x:redis',
    ]);
    expect(warnings).toEqual([
      expect.stringMatching(/^--laravel-prefix: "app_" applies to no queue/),
    ]);
    expect(failure(() => resolve([], {}, { service: 's', laravelPrefix: 42 })).message).toMatch(
      /^"laravelPrefix" in \/etc\/quasar-agent\.json: expected a non-empty string, got 42 \(set by --laravel-prefix, QUASAR_LARAVEL_PREFIX or "laravelPrefix" in the config file\)$/,
    );
  });

  it('rejects unknown config keys, naming the file and the keys it takes', () => {
    expect(failure(() => resolve([], {}, { service: 's', intreval: 5 })).message).toBe(
      'config file /etc/quasar-agent.json (from QUASAR_CONFIG): unknown key "intreval"; expected one of service, name, transport, keyLayout, monitor, interval, queues, laravelPrefix, checks, language, languageVersion, laravelWorkers, hostRoot, otel, slowLog, remoteControl, logLevel',
    );
    expect(failure(() => resolve([], {}, { service: 's', slowLog: { max: 5 } })).message).toBe(
      'config file /etc/quasar-agent.json (from QUASAR_CONFIG): unknown key "slowLog.max"; expected one of enabled, requestThresholdMs, jobThresholdMs, maxLen',
    );
    expect(failure(() => resolve([], {}, { service: 's', otel: true })).message).toMatch(
      /"otel" must be an object/,
    );
  });

  it('reports a config file that is missing, not JSON, or not an object', () => {
    const missing = failure(() =>
      resolveSettings(parseArgv(['--config', '/nowhere.json']), {}, () => {
        throw Object.assign(new Error('x'), { code: 'ENOENT' });
      }),
    );
    expect(missing.message).toBe(
      'config file /nowhere.json (from --config): cannot be read (ENOENT)',
    );
    expect(failure(() => resolve([], {}, '{"service": ')).message).toMatch(/is not JSON/);
    expect(failure(() => resolve([], {}, '[]')).message).toMatch(
      /expected a JSON object at the top/,
    );
  });
});
