/**
 * When `otelcol` (or `otelcol-contrib`) and `prometheus` are on the PATH, the demo runs them
 * too: the collector exports OTLP to that otelcol, whose Prometheus exporter Prometheus scrapes,
 * and Prometheus evaluates the shipped alert rules (docs/alerts.md) on them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

/** The repository's rule file, unchanged: the demo's outages fire its check alert. */
const RULES_FILE = join(
  __dirname,
  '..',
  '..',
  '..',
  'provisioning',
  'prometheus',
  'rules',
  'quasar.rules.yml',
);
import { startChild, type Child } from './processes';

function which(command: string): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

export interface Observability {
  otlpEndpoint: string;
  prometheusUrl: string;
  children: Child[];
  stop(): Promise<void>;
}

/** The otelcol and Prometheus binaries, when both are installed. */
export function findObservability(): { otelcol: string; prometheus: string } | undefined {
  const otelcol = which('otelcol') ?? which('otelcol-contrib');
  const prometheus = which('prometheus');
  return otelcol && prometheus ? { otelcol, prometheus } : undefined;
}

export async function startObservability(bins: {
  otelcol: string;
  prometheus: string;
}): Promise<Observability> {
  const dir = mkdtempSync(join(tmpdir(), 'quasar-demo-otel-'));
  const [otlp, exporter, prom] = [await freePort(), await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'otelcol.yaml'),
    [
      'receivers:',
      '  otlp:',
      '    protocols:',
      '      http:',
      `        endpoint: 127.0.0.1:${otlp}`,
      'processors:',
      '  batch: {}',
      'exporters:',
      '  prometheus:',
      `    endpoint: 127.0.0.1:${exporter}`,
      '  debug:',
      '    verbosity: basic',
      'service:',
      '  telemetry:',
      '    metrics:',
      '      level: none',
      '  pipelines:',
      '    metrics: { receivers: [otlp], processors: [batch], exporters: [prometheus] }',
      '    logs: { receivers: [otlp], processors: [batch], exporters: [debug] }',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 5s',
      // Rules every scrape, not every minute (the default), so alerts show without delay.
      '  evaluation_interval: 5s',
      'rule_files:',
      `  - ${JSON.stringify(RULES_FILE)}`,
      'scrape_configs:',
      '  - job_name: otel-collector',
      '    honor_labels: true',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${exporter}']`,
      '',
    ].join('\n'),
  );
  const otelcol = startChild(
    'otelcol',
    bins.otelcol,
    ['--config', join(dir, 'otelcol.yaml')],
    {},
    true,
  );
  const prometheus = startChild(
    'prometheus',
    bins.prometheus,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${prom}`,
    ],
    {},
    true,
  );
  return {
    otlpEndpoint: `http://127.0.0.1:${otlp}`,
    prometheusUrl: `http://127.0.0.1:${prom}`,
    children: [otelcol, prometheus],
    async stop() {
      await Promise.all([prometheus.stop(), otelcol.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
