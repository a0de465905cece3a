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

  it('takes the lease TTL from the flag or QUASAR_LEASE_TTL, else 3 × the refresh interval', () => {
    expect(configOf([]).leaseTtlMs).toBe(6_000);
    expect(configOf(['--refresh-interval', '1s']).leaseTtlMs).toBe(3_000);
    expect(configOf(['--lease-ttl', '4s']).leaseTtlMs).toBe(4_000);
    expect(configOf([], { ...TOKEN_ENV, QUASAR_LEASE_TTL: '5000' }).leaseTtlMs).toBe(5_000);
  });

  it('rejects a lease TTL that, with one cycle, reaches the export interval, naming the settings', () => {
    const error = errorOf(['--lease-ttl', '8s']);
    expect(error.option).toBe('--lease-ttl / QUASAR_LEASE_TTL');
    expect(error.message).toContain('--refresh-interval (2000 ms)');
    expect(error.message).toContain('must be under --export-interval (10000 ms)');
    expect(error.message).toContain('set --lease-ttl from 4000 ms to under 8000 ms');
    expect(configOf(['--lease-ttl', '7999ms']).leaseTtlMs).toBe(7_999);
  });

  it('rejects a lease TTL under two refresh intervals: it would lapse between renewals', () => {
    const error = errorOf(['--lease-ttl', '3s']);
    expect(error.option).toBe('--lease-ttl / QUASAR_LEASE_TTL');
    expect(error.message).toContain('under 2 × --refresh-interval (2000 ms)');
  });

  it('says so when the default TTL breaks the bound, and how to fix it', () => {
    const error = errorOf(['--export-interval', '7s']);
    expect(error.message).toContain('(the default, 3 × --refresh-interval)');
    expect(error.message).toContain('set --lease-ttl from 4000 ms to under 5000 ms');
    // No TTL fits an export interval of 3 cycles or less.
    expect(errorOf(['--export-interval', '6s']).message).toContain(
      'lengthen --export-interval to over 6000 ms',
    );
  });

  it('checks the lease TTL only when metrics are exported in a loop', () => {
    const short = ['--export-interval', '1s', '--refresh-interval', '500ms'];
    expect(configOf([...short, '--export-metrics', 'false']).exportIntervalMs).toBe(1_000);
    expect(configOf([...short, '--once']).exportIntervalMs).toBe(1_000);
    expect(errorOf(short).option).toBe('--lease-ttl / QUASAR_LEASE_TTL');
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
