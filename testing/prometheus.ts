/**
 * Runs a private Prometheus for integration tests: scrapes the given targets every second into
 * a temporary TSDB, and answers instant queries through the real HTTP API.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnManaged, waitUntilReady } from './managed-process';
import { freePort } from './redis-server';

const START_TIMEOUT_MS = 20_000;

export interface PrometheusOptions {
  /** `host:port` (scraped at `/metrics`) or a full URL such as `http://127.0.0.1:9464/metrics`. */
  scrapeTargets: string[];
  /** @default 1 */
  scrapeIntervalSeconds?: number;
}

/** One element of an instant vector. */
export interface PromSample {
  /** All labels, `__name__` included. */
  metric: Record<string, string>;
  value: number;
  /** Unix seconds. */
  timestamp: number;
}

export interface Prometheus {
  /** Base URL, e.g. `http://127.0.0.1:9090`. */
  readonly url: string;
  /** Evaluates `promql` now; rejects unless the result is an instant vector. */
  query(promql: string): Promise<PromSample[]>;
  /** Every metric name stored so far. */
  metricNames(): Promise<string[]>;
  /** Stops Prometheus and removes its config and TSDB. Idempotent. */
  stop(): Promise<void>;
  /** Prometheus's own log output so far, for diagnostics. */
  logs(): string;
}

/** True when a `prometheus` binary is on the PATH. */
export function hasPrometheus(): boolean {
  return spawnSync('prometheus', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** True when `promtool` is on the PATH. */
export function hasPromtool(): boolean {
  return spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Runs `promtool check config file`. */
export function checkPrometheusConfig(file: string): { ok: boolean; output: string } {
  const run = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8' });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`;
  return { ok: run.status === 0, output };
}

/** Runs `promtool test rules` on the given unit-test files. */
export function testPrometheusRules(files: readonly string[]): { ok: boolean; output: string } {
  const run = spawnSync('promtool', ['test', 'rules', ...files], { encoding: 'utf8' });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`;
  return { ok: run.status === 0, output };
}

function scrapeJob(target: string, index: number, intervalSeconds: number): string {
  const url = /^https?:\/\//.test(target) ? new URL(target) : new URL(`http://${target}/metrics`);
  // `honor_labels` lets the exporter's `job`/`instance` (from service.name and
  // service.instance.id) win over the scrape job's own.
  return [
    `  - job_name: ${JSON.stringify(`scrape-${index}`)}`,
    `    scrape_interval: ${intervalSeconds}s`,
    '    honor_labels: true',
    `    scheme: ${url.protocol.replace(':', '')}`,
    `    metrics_path: ${JSON.stringify(url.pathname)}`,
    '    static_configs:',
    `      - targets: [${JSON.stringify(url.host)}]`,
  ].join('\n');
}

function prometheusConfig(options: PrometheusOptions): string {
  const interval = options.scrapeIntervalSeconds ?? 1;
  return [
    'global:',
    `  scrape_interval: ${interval}s`,
    `  evaluation_interval: ${interval}s`,
    'scrape_configs:',
    ...options.scrapeTargets.map((target, i) => scrapeJob(target, i, interval)),
    '',
  ].join('\n');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function apiGet(base: string, path: string): Promise<unknown> {
  const response = await fetch(`${base}${path}`);
  const body: unknown = await response.json();
  if (!isRecord(body) || body.status !== 'success') {
    throw new Error(`Prometheus ${path} failed (${response.status}): ${JSON.stringify(body)}`);
  }
  return body.data;
}

function toSample(entry: unknown): PromSample {
  if (!isRecord(entry) || !isRecord(entry.metric) || !Array.isArray(entry.value)) {
    throw new Error(`unexpected vector element: ${JSON.stringify(entry)}`);
  }
  const [timestamp, value] = entry.value as unknown[];
  return {
    metric: Object.fromEntries(Object.entries(entry.metric).map(([k, v]) => [k, String(v)])),
    value: Number(value),
    timestamp: Number(timestamp),
  };
}

/** Starts Prometheus on a free loopback port and resolves once `/-/ready` answers 200. */
export async function startPrometheus(options: PrometheusOptions): Promise<Prometheus> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'quasar-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, prometheusConfig(options));
  const proc = spawnManaged(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
    ],
    { name: 'prometheus', cleanupDir: dir },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(
    proc,
    async () => {
      try {
        return (await fetch(`${url}/-/ready`)).status === 200;
      } catch {
        return false;
      }
    },
    START_TIMEOUT_MS,
    `prometheus to be ready on ${port}`,
  );
  return {
    url,
    async query(promql) {
      const data = await apiGet(url, `/api/v1/query?query=${encodeURIComponent(promql)}`);
      if (!isRecord(data) || data.resultType !== 'vector' || !Array.isArray(data.result)) {
        throw new Error(`expected an instant vector for ${promql}: ${JSON.stringify(data)}`);
      }
      return data.result.map(toSample);
    },
    async metricNames() {
      const data = await apiGet(url, '/api/v1/label/__name__/values');
      if (!Array.isArray(data)) throw new Error(`unexpected label values: ${JSON.stringify(data)}`);
      return data.map(String);
    },
    stop: () => proc.stop(),
    logs: () => proc.output(),
  };
}
