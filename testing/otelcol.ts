/**
 * Runs the real OpenTelemetry Collector (built from `testing/otelcol/manifest.yaml`) for
 * integration tests: binary resolution, a test config, start on free ports, and `validate`.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, spawnManaged, waitUntilReady } from './managed-process';
import { freePort } from './redis-server';

/** Overrides the binary; otherwise `testing/otelcol/build.sh` builds or finds the cached one. */
export const OTELCOL_BIN_ENV = 'QUASAR_OTELCOL_BIN';

const BUILD_SCRIPT = join(__dirname, 'otelcol', 'build.sh');
const START_TIMEOUT_MS = 20_000;
const START_ATTEMPTS = 3;

export interface OtelcolPorts {
  /** Port of the OTLP/HTTP receiver on 127.0.0.1. */
  otlpHttpPort: number;
  /** Port of the `prometheus` exporter on 127.0.0.1, when the config has one. */
  prometheusPort?: number;
}

export interface OtelcolTestConfigOptions {
  prometheusPort: number;
  otlpHttpPort: number;
  /** Full URL (`…/v1/logs`) the logs pipeline re-emits to as OTLP/HTTP JSON. */
  logsForwardUrl?: string;
  /** Full URL (`…/v1/metrics`) the metrics pipeline re-emits to as OTLP/HTTP JSON. */
  metricsForwardUrl?: string;
}

export interface Otelcol {
  /** Base OTLP/HTTP URL, e.g. `http://127.0.0.1:4318` (exporters append `/v1/…`). */
  readonly otlpEndpoint: string;
  /** Scrape URL of the `prometheus` exporter (`…/metrics`), when the config has one. */
  readonly prometheusEndpoint: string | undefined;
  /** Stops the collector and removes its temporary directory. Idempotent. */
  stop(): Promise<void>;
  /** The collector's own log output so far, for diagnostics. */
  logs(): string;
}

/** What `startTestOtelcol` returns: always with a Prometheus exporter. */
export type TestOtelcol = Otelcol & { readonly prometheusEndpoint: string };

/** True when `go` is on the PATH. */
export function hasGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

function assertExecutable(file: string, origin: string): string {
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new Error(`${origin} points to ${file}, which is not an executable file`);
  }
  return file;
}

/**
 * The collector binary: `$QUASAR_OTELCOL_BIN` when set, else the one `build.sh` caches (building
 * it synchronously on first use, which takes minutes). Throws with a remedy when neither works.
 */
export function resolveOtelcolBinary(): string {
  const fromEnv = process.env[OTELCOL_BIN_ENV];
  if (fromEnv) return assertExecutable(fromEnv, OTELCOL_BIN_ENV);
  if (!hasGo()) {
    throw new Error(
      `the OpenTelemetry Collector is not available: set ${OTELCOL_BIN_ENV} to an otelcol ` +
        'binary, or install Go so that testing/otelcol/build.sh can build one',
    );
  }
  const build = spawnSync('bash', [BUILD_SCRIPT], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const binary = build.stdout?.trim().split('\n').pop() ?? '';
  if (build.status !== 0 || !binary) {
    throw new Error(`testing/otelcol/build.sh failed with status ${build.status}`);
  }
  return assertExecutable(binary, 'testing/otelcol/build.sh');
}

function forwardExporter(url: string, signal: 'logs' | 'metrics'): string {
  return [
    `  otlp_http/${signal}:`,
    `    ${signal}_endpoint: ${JSON.stringify(url)}`,
    '    encoding: json',
    '    compression: none',
    '    timeout: 5s',
    '    retry_on_failure:',
    '      initial_interval: 100ms',
    '      max_interval: 1s',
    '      max_elapsed_time: 60s',
  ].join('\n');
}

/**
 * A collector config for tests: OTLP/HTTP in, a 200 ms batch, the `prometheus` exporter with
 * default resource handling (resource attributes go to `target_info`; `job`/`instance` come
 * from `service.name`/`service.instance.id`), `debug`, and optional OTLP/HTTP JSON re-emission.
 * The collector's own telemetry is off, so parallel runs never fight over port 8888.
 */
export function otelcolTestConfig(options: OtelcolTestConfigOptions): string {
  const exporters = [
    '  prometheus:',
    `    endpoint: 127.0.0.1:${options.prometheusPort}`,
    '  debug:',
    '    verbosity: basic',
  ];
  const metricsExporters = ['prometheus', 'debug'];
  const logsExporters = ['debug'];
  if (options.metricsForwardUrl) {
    exporters.push(forwardExporter(options.metricsForwardUrl, 'metrics'));
    metricsExporters.push('otlp_http/metrics');
  }
  if (options.logsForwardUrl) {
    exporters.push(forwardExporter(options.logsForwardUrl, 'logs'));
    logsExporters.push('otlp_http/logs');
  }
  return [
    'receivers:',
    '  otlp:',
    '    protocols:',
    '      http:',
    `        endpoint: 127.0.0.1:${options.otlpHttpPort}`,
    'processors:',
    '  batch:',
    '    timeout: 200ms',
    'exporters:',
    ...exporters,
    'service:',
    '  telemetry:',
    '    metrics:',
    '      level: none',
    '  pipelines:',
    '    metrics:',
    '      receivers: [otlp]',
    '      processors: [batch]',
    `      exporters: [${metricsExporters.join(', ')}]`,
    '    logs:',
    '      receivers: [otlp]',
    '      processors: [batch]',
    `      exporters: [${logsExporters.join(', ')}]`,
    '',
  ].join('\n');
}

/**
 * Starts the collector with `config` (YAML) and resolves once the OTLP/HTTP port, and the
 * Prometheus exporter port when given, accept connections while the process is alive.
 */
export async function startOtelcol(
  config: string,
  ports: OtelcolPorts,
  binary: string = resolveOtelcolBinary(),
): Promise<Otelcol> {
  const dir = mkdtempSync(join(tmpdir(), 'quasar-otelcol-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, config);
  const proc = spawnManaged(binary, ['--config', file], { name: 'otelcol', cleanupDir: dir });
  const { otlpHttpPort, prometheusPort } = ports;
  await waitUntilReady(
    proc,
    async () =>
      (await canConnect(otlpHttpPort)) &&
      (prometheusPort === undefined || (await canConnect(prometheusPort))),
    START_TIMEOUT_MS,
    `otelcol to listen on ${otlpHttpPort}${prometheusPort ? ` and ${prometheusPort}` : ''}`,
  );
  return {
    otlpEndpoint: `http://127.0.0.1:${otlpHttpPort}`,
    prometheusEndpoint: prometheusPort ? `http://127.0.0.1:${prometheusPort}/metrics` : undefined,
    stop: () => proc.stop(),
    logs: () => proc.output(),
  };
}

/**
 * Picks free ports, builds `otelcolTestConfig` and starts the collector, retrying with new
 * ports if another process grabbed one between the pick and the bind.
 */
export async function startTestOtelcol(
  forward: Pick<OtelcolTestConfigOptions, 'logsForwardUrl' | 'metricsForwardUrl'> = {},
): Promise<TestOtelcol> {
  const binary = resolveOtelcolBinary();
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const otlpHttpPort = await freePort();
    let prometheusPort = await freePort();
    while (prometheusPort === otlpHttpPort) prometheusPort = await freePort();
    const config = otelcolTestConfig({ ...forward, otlpHttpPort, prometheusPort });
    try {
      const otelcol = await startOtelcol(config, { otlpHttpPort, prometheusPort }, binary);
      return { ...otelcol, prometheusEndpoint: `http://127.0.0.1:${prometheusPort}/metrics` };
    } catch (error) {
      lastError = error;
      if (!String(error).includes('address already in use')) break;
    }
  }
  throw lastError;
}

/** Runs `otelcol validate --config file`: the collector's own, complete config check. */
export function validateOtelcolConfig(
  file: string,
  binary: string = resolveOtelcolBinary(),
): { ok: boolean; output: string } {
  const run = spawnSync(binary, ['validate', '--config', file], { encoding: 'utf8' });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`;
  return { ok: run.status === 0, output };
}
