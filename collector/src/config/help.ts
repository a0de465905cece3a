/** `quasar-collector --help`, generated from the settings table so it cannot drift. */
import { COLLECTOR_DEFAULTS } from './options';
import { SETTINGS } from './settings';

const OTEL_VARIABLES = [
  [
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'Base URL of the OTLP/HTTP receiver (default http://localhost:4318)',
  ],
  ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'Full URL for metrics (…/v1/metrics)'],
  ['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', 'Full URL for logs (…/v1/logs)'],
  ['OTEL_EXPORTER_OTLP_HEADERS', 'Extra headers, e.g. authorization=Bearer%20x'],
  ['OTEL_EXPORTER_OTLP_TIMEOUT', 'Export timeout, ms (default 10000)'],
  ['OTEL_EXPORTER_OTLP_COMPRESSION', 'gzip or none'],
] as const;

export function helpText(): string {
  const defaults: Readonly<Partial<Record<string, string | number | boolean>>> = COLLECTOR_DEFAULTS;
  const lines = [
    'Usage: quasar-collector [options]',
    '',
    'Reads Quasar heartbeats, queue snapshots and slow logs from Redis, exports them as',
    'OTLP metrics and logs (one resource per node), and serves the Pulse HTTP API.',
    '',
    'Options (flag, then environment variable, then default):',
  ];
  for (const s of SETTINGS) {
    const flag = `--${s.flag}${'placeholder' in s && s.placeholder ? ` <${s.placeholder}>` : ''}`;
    const def = defaults[s.key];
    const extras = [
      s.env.length > 0 ? `env ${s.env.join(', ')}` : undefined,
      def !== undefined ? `default ${String(def)}` : undefined,
    ].filter(Boolean);
    lines.push(`  ${flag.padEnd(32)} ${s.help}${extras.length ? ` (${extras.join('; ')})` : ''}`);
  }
  lines.push('  --help                           Show this help');
  lines.push('', 'Standard OpenTelemetry exporter variables:');
  for (const [name, text] of OTEL_VARIABLES) lines.push(`  ${name.padEnd(36)} ${text}`);
  lines.push(
    '',
    'Endpoints: GET /api/pulse/nodes, /api/pulse/queues, /api/pulse/slow, /api/pulse/stream (SSE),',
    '           /healthz, /readyz, /metrics (Prometheus text);',
    '           POST /api/pulse/command, GET /api/pulse/commands/:id, /api/pulse/audit',
  );
  return lines.join('\n') + '\n';
}
