/**
 * Every setting the collector takes: its flag, its environment variables (first set wins) and
 * how its text is parsed. `--help` and the resolver both read this one table.
 */
import { COMMAND_SETTINGS } from './command-settings';
import { TOKEN_SETTINGS } from './token-settings';
import { OTLP_PROTOCOLS } from './options';
import type { OtlpProtocol } from './options';
import { InvalidValue, bool, duration, integer, redisUrl, setting, text } from './parsers';
import type { Parser, Setting } from './parsers';

export { InvalidValue, bool, duration, text };
export type { Setting };

const protocol: Parser<OtlpProtocol> = (value) => {
  const v = value.trim() as OtlpProtocol;
  if (!OTLP_PROTOCOLS.includes(v)) {
    throw new InvalidValue(
      `expected ${OTLP_PROTOCOLS.join(' or ')}, got ${JSON.stringify(value)} (gRPC is not supported)`,
    );
  }
  return v;
};

export const SETTINGS = [
  setting({
    key: 'redisUrl',
    flag: 'redis-url',
    env: ['QUASAR_REDIS_URL', 'REDIS_URL'],
    placeholder: 'url',
    help: 'Redis holding the gravito:quasar:* keys (redis://, rediss://, or redis+cluster://h:p,h:p… and rediss+cluster:// for a Redis Cluster)',
    parse: redisUrl,
  }),
  setting({
    key: 'port',
    flag: 'port',
    env: ['PORT'],
    placeholder: 'n',
    help: 'HTTP port of the Pulse API, /metrics and health checks',
    parse: integer(0, 65535),
  }),
  setting({
    key: 'host',
    flag: 'host',
    env: ['HOST'],
    placeholder: 'addr',
    help: 'Address to listen on',
    parse: text,
  }),
  setting({
    key: 'apiToken',
    flag: 'api-token',
    env: ['QUASAR_API_TOKEN'],
    placeholder: 'token',
    help: 'Bearer token required on /api/* (prefer the variable: flags show in ps)',
    parse: text,
    secret: true,
  }),
  setting({
    key: 'noAuth',
    flag: 'no-auth',
    env: [],
    boolean: true,
    help: 'Serve /api/* without a token (development only; prints a warning)',
    parse: bool,
  }),
  ...TOKEN_SETTINGS,
  setting({
    key: 'once',
    flag: 'once',
    env: [],
    boolean: true,
    help: 'Run one discovery, export and flush cycle, then exit (non-zero if a request failed)',
    parse: bool,
  }),
  setting({
    key: 'cycleIntervalMs',
    flag: 'refresh-interval',
    env: ['QUASAR_REFRESH_INTERVAL'],
    placeholder: 'duration',
    help: 'Time between reads of Redis (how fresh the API and SSE stream are)',
    parse: duration(100),
  }),
  setting({
    key: 'exportIntervalMs',
    flag: 'export-interval',
    env: ['OTEL_METRIC_EXPORT_INTERVAL'],
    placeholder: 'duration',
    help: 'Time between OTLP metric exports (the variable is in ms, as OTel specifies)',
    parse: duration(100),
  }),
  setting({
    key: 'scanIntervalMs',
    flag: 'scan-interval',
    env: ['QUASAR_SCAN_INTERVAL'],
    placeholder: 'duration',
    help: 'Time between SCANs for original agents that never write the node index',
    parse: duration(1000),
  }),
  setting({
    key: 'forgetAfterMs',
    flag: 'forget-after',
    env: ['QUASAR_FORGET_AFTER'],
    placeholder: 'duration',
    help: 'How long a vanished node is still reported as offline (liveness 0)',
    parse: duration(0),
  }),
  setting({
    key: 'skipSelfExporting',
    flag: 'skip-self-exporting',
    env: ['QUASAR_SKIP_SELF_EXPORTING'],
    placeholder: 'bool',
    help: 'Do not re-export the metrics of nodes that export their own OTel metrics',
    parse: bool,
  }),
  setting({
    key: 'maxPayloadBytes',
    flag: 'max-payload-bytes',
    env: ['QUASAR_MAX_PAYLOAD_BYTES'],
    placeholder: 'n',
    help: 'Largest heartbeat accepted; larger ones are skipped and counted',
    parse: integer(1024),
  }),
  setting({
    key: 'exportMetrics',
    flag: 'export-metrics',
    env: ['QUASAR_EXPORT_METRICS'],
    placeholder: 'bool',
    help: 'Export node, queue and check metrics over OTLP',
    parse: bool,
  }),
  setting({
    key: 'maxExportBytes',
    flag: 'max-export-bytes',
    env: ['QUASAR_MAX_EXPORT_BYTES'],
    placeholder: 'n',
    help: 'Largest OTLP request body (uncompressed); each export is split into requests of at most this size',
    parse: integer(1024),
  }),
  setting({
    key: 'exportLogs',
    flag: 'export-logs',
    env: ['QUASAR_EXPORT_LOGS'],
    placeholder: 'bool',
    help: 'Consume the slow-log streams into OTLP log records',
    parse: bool,
  }),
  setting({
    key: 'metricsProtocol',
    flag: 'metrics-protocol',
    env: ['OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    placeholder: 'protocol',
    help: 'OTLP encoding for metrics: http/protobuf or http/json',
    parse: protocol,
  }),
  setting({
    key: 'logsProtocol',
    flag: 'logs-protocol',
    env: ['OTEL_EXPORTER_OTLP_LOGS_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    placeholder: 'protocol',
    help: 'OTLP encoding for logs: http/protobuf or http/json',
    parse: protocol,
  }),
  setting({
    key: 'consumerGroup',
    flag: 'consumer-group',
    env: ['QUASAR_CONSUMER_GROUP'],
    placeholder: 'name',
    help: 'Consumer group on each slow-log stream (replicas share it)',
    parse: text,
  }),
  setting({
    key: 'consumerName',
    flag: 'consumer-name',
    env: ['QUASAR_CONSUMER_NAME'],
    placeholder: 'name',
    help: "This replica's name, in the slow-log groups and among the replicas (default: hostname-pid)",
    parse: text,
  }),
  setting({
    key: 'leaseTtlMs',
    flag: 'lease-ttl',
    env: ['QUASAR_LEASE_TTL'],
    placeholder: 'duration',
    help: "How long a replica's lease on a service outlives its last renewal (default: 3 × --refresh-interval)",
    parse: duration(200),
  }),
  setting({
    key: 'reclaimIdleMs',
    flag: 'reclaim-idle',
    env: ['QUASAR_RECLAIM_IDLE'],
    placeholder: 'duration',
    help: 'Reclaim slow-log entries left pending this long by a crashed replica',
    parse: duration(1000),
  }),
  setting({
    key: 'slowBatchSize',
    flag: 'slow-batch-size',
    env: ['QUASAR_SLOW_BATCH_SIZE'],
    placeholder: 'n',
    help: 'Slow-log entries read from each stream per XREADGROUP (COUNT applies per stream)',
    parse: integer(1, 100_000),
  }),
  setting({
    key: 'slowSeriesPerNode',
    flag: 'slow-series-per-node',
    env: ['QUASAR_SLOW_SERIES_PER_NODE'],
    placeholder: 'n',
    help: 'Slow-duration series (kind, route, method, queue) per node; more share an overflow series',
    parse: integer(1, 1_000_000),
  }),
  setting({
    key: 'slowUnknownNodes',
    flag: 'slow-unknown-nodes',
    env: ['QUASAR_SLOW_UNKNOWN_NODES'],
    placeholder: 'n',
    help: 'Node ids without a heartbeat given their own slow-duration resource, per service',
    parse: integer(0, 1_000_000),
  }),
  setting({
    key: 'slowMaxSeries',
    flag: 'slow-max-series',
    env: ['QUASAR_SLOW_MAX_SERIES'],
    placeholder: 'n',
    help: 'Slow-duration series kept in all, overflow series included',
    parse: integer(1, 10_000_000),
  }),
  setting({
    key: 'logLevel',
    flag: 'log-level',
    env: ['LOG_LEVEL'],
    placeholder: 'level',
    help: 'trace, debug, info, warn, error or fatal',
    parse: (value) => {
      const v = value.trim().toLowerCase();
      if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(v)) {
        throw new InvalidValue(`unknown level ${JSON.stringify(value)}`);
      }
      return v;
    },
  }),
  ...COMMAND_SETTINGS,
] as const;

/** How a setting is named in errors: `--port / PORT`. */
export function settingName(s: Pick<Setting, 'flag' | 'env'>): string {
  return [`--${s.flag}`, ...s.env].join(' / ');
}
