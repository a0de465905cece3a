import { CollectorConfigError } from '../../src/config/errors';
import { COLLECTOR_DEFAULTS } from '../../src/config/options';
import type { CollectorConfig } from '../../src/config/options';
import { resolveConfig } from '../../src/config/resolve';

type Env = Record<string, string | undefined>;

const TOKEN_ENV: Env = { QUASAR_API_TOKEN: 'test-token' };

/** The resolved configuration; fails the test when `--help` or an error came back instead. */
function configOf(argv: string[], env: Env = TOKEN_ENV): CollectorConfig {
  const outcome = resolveConfig(argv, env);
  if (outcome.help) throw new Error('expected a configuration, got --help');
  return outcome.config;
}

/** The error `resolveConfig` throws for these arguments. */
function errorOf(argv: string[], env: Env = TOKEN_ENV): CollectorConfigError {
  try {
    resolveConfig(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(CollectorConfigError);
    return error as CollectorConfigError;
  }
  throw new Error(`expected ${argv.join(' ')} to be rejected`);
}

describe('resolveConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const config = configOf([]);
    expect(config).toMatchObject(COLLECTOR_DEFAULTS);
    expect(config).toMatchObject({
      apiToken: 'test-token',
      noAuth: false,
      once: false,
      skipSelfExporting: true,
      exportMetrics: true,
      exportLogs: true,
    });
    expect(config.consumerName).toMatch(new RegExp(`-${process.pid}$`));
  });

  it('prefers a flag to the environment, and the environment to the default', () => {
    expect(configOf(['--port', '9100'], { ...TOKEN_ENV, PORT: '9200' }).port).toBe(9100);
    expect(configOf([], { ...TOKEN_ENV, PORT: '9200' }).port).toBe(9200);
    expect(configOf([]).port).toBe(8080);
  });

  it('takes the first of several variables that is set, ignoring empty ones', () => {
    const env = { ...TOKEN_ENV, QUASAR_REDIS_URL: '', REDIS_URL: 'redis://other:6379/2' };
    expect(configOf([], env).redisUrl).toBe('redis://other:6379/2');
    const both = { ...env, QUASAR_REDIS_URL: 'redis://mine:6379/1' };
    expect(configOf([], both).redisUrl).toBe('redis://mine:6379/1');
  });

  it('names the flag and the variable of an invalid port', () => {
    const error = errorOf(['--port', 'abc']);
    expect(error.option).toBe('--port / PORT');
    expect(error.message).toContain('--port / PORT');
    expect(error.message).toContain('"abc"');
    expect(errorOf([], { ...TOKEN_ENV, PORT: '70000' }).option).toBe('--port / PORT');
  });

  it('rejects gRPC as the OTLP protocol, naming the variable', () => {
    const error = errorOf([], { ...TOKEN_ENV, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(error.message).toContain('OTEL_EXPORTER_OTLP_PROTOCOL');
    expect(error.message).toContain('gRPC is not supported');
  });

  it('lets the metrics protocol variable override the generic one for metrics only', () => {
    const config = configOf([], {
      ...TOKEN_ENV,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
    });
    expect(config.metricsProtocol).toBe('http/protobuf');
    expect(config.logsProtocol).toBe('http/json');
  });

  it('reads durations with or without a unit', () => {
    const config = configOf(['--refresh-interval', '500ms', '--scan-interval', '5m'], {
      ...TOKEN_ENV,
      OTEL_METRIC_EXPORT_INTERVAL: '10s',
      QUASAR_FORGET_AFTER: '1h',
      QUASAR_RECLAIM_IDLE: '2500',
    });
    expect(config.cycleIntervalMs).toBe(500);
    expect(config.scanIntervalMs).toBe(300_000);
    expect(config.exportIntervalMs).toBe(10_000);
    expect(config.forgetAfterMs).toBe(3_600_000);
    expect(config.reclaimIdleMs).toBe(2500);
  });

  it('rejects durations without a known unit or below their minimum', () => {
    expect(errorOf(['--refresh-interval', '10x']).option).toBe(
      '--refresh-interval / QUASAR_REFRESH_INTERVAL',
    );
    expect(errorOf(['--refresh-interval', '50ms']).message).toContain('at least 100 ms');
    expect(errorOf(['--scan-interval', '500ms']).option).toContain('--scan-interval');
  });

  it('reads booleans from the environment and names the variable of a bad one', () => {
    const env = { ...TOKEN_ENV, QUASAR_EXPORT_METRICS: 'false', QUASAR_EXPORT_LOGS: 'off' };
    expect(configOf([], env)).toMatchObject({ exportMetrics: false, exportLogs: false });
    const error = errorOf([], { ...TOKEN_ENV, QUASAR_EXPORT_METRICS: 'maybe' });
    expect(error.option).toBe('--export-metrics / QUASAR_EXPORT_METRICS');
  });

  it('refuses to start without a token', () => {
    const error = errorOf([], {});
    expect(error.option).toBe('--api-token / QUASAR_API_TOKEN');
    expect(error.message).toContain('--no-auth');
    expect(errorOf([], { QUASAR_API_TOKEN: '' }).option).toBe('--api-token / QUASAR_API_TOKEN');
  });

  it('starts without a token only with --no-auth, or for a single --once cycle', () => {
    expect(configOf(['--no-auth'], {})).toMatchObject({ noAuth: true, apiToken: undefined });
    expect(configOf(['--once'], {})).toMatchObject({ once: true, noAuth: false });
    expect(configOf(['--api-token', 'from-flag'], {}).apiToken).toBe('from-flag');
  });

  it('returns help for --help without validating anything else', () => {
    expect(resolveConfig(['--help'], {})).toEqual({ help: true });
    expect(resolveConfig(['--help', '--port', 'abc'], {})).toEqual({ help: true });
  });

  it('rejects an unknown flag, naming it', () => {
    const error = errorOf(['--bogus']);
    expect(error.option).toBe('arguments');
    expect(error.message).toContain('--bogus');
  });

  it('rejects positional arguments', () => {
    expect(errorOf(['redis://localhost:6379']).option).toBe('arguments');
  });
});
