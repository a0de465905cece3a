/** The collector's resolved configuration and its one table of defaults. */
import type { ApiTokenSpec } from '../auth/principal';

/** OTLP/HTTP encodings the OTel exporter specification names. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

export interface CollectorConfig {
  /** Redis holding the Quasar keys. @default 'redis://localhost:6379' */
  redisUrl: string;
  /** API listen port. @default 8080 */
  port: number;
  /** API listen host. @default '0.0.0.0' */
  host: string;
  /** Bearer token for `/api/*`; undefined only with `noAuth`. */
  apiToken: string | undefined;
  /** Serve `/api/*` without a token (explicit opt-in, warned at start). @default false */
  noAuth: boolean;
  /**
   * Named tokens, each with its scopes (`read`, `inspect`, `retry`, `delete`, `pause`), those
   * of `apiTokensFile` included once resolved. @default []
   */
  apiTokens: readonly ApiTokenSpec[];
  /** A file of named tokens (same form, one a line), added to `apiTokens`. */
  apiTokensFile: string | undefined;
  /** Refuse every command with `QUASAR_READ_ONLY`, whatever the token. @default false */
  readOnly: boolean;
  /** One cycle (discover, read, export), then exit. @default false */
  once: boolean;
  /** Time between reads of Redis (the API's refresh rate), ms. @default 2000 */
  cycleIntervalMs: number;
  /** Time between OTLP metric exports, ms. @default 10000 */
  exportIntervalMs: number;
  /** Time between SCANs for agents that never write the node index, ms. @default 60000 */
  scanIntervalMs: number;
  /** How long a node whose key expired is still reported (offline, liveness 0), ms. @default 3600000 */
  forgetAfterMs: number;
  /** Skip the metrics of nodes that export their own OTel metrics. @default true */
  skipSelfExporting: boolean;
  /** Largest heartbeat accepted, bytes; larger ones are skipped and counted. @default 262144 */
  maxPayloadBytes: number;
  /** Export metrics over OTLP (off: the API only). @default true */
  exportMetrics: boolean;
  /**
   * Largest OTLP request body, uncompressed, bytes: every metrics and logs export is cut into
   * requests of at most this size, between resources. @default 4194304 (4 MiB)
   */
  maxExportBytes: number;
  /** Consume slow-log streams into OTLP logs. @default true */
  exportLogs: boolean;
  /** OTLP encoding for metrics, from OTEL_EXPORTER_OTLP_[METRICS_]PROTOCOL. @default 'http/protobuf' */
  metricsProtocol: OtlpProtocol;
  /** OTLP encoding for logs, from OTEL_EXPORTER_OTLP_[LOGS_]PROTOCOL. @default 'http/protobuf' */
  logsProtocol: OtlpProtocol;
  /** Consumer group on each slow-log stream. @default 'quasar-collector' */
  consumerGroup: string;
  /**
   * This replica's name: its consumer in the slow-log groups and its member among the collector
   * replicas sharing the fleet. @default `{hostname}-{pid}`
   */
  consumerName: string;
  /**
   * How long a replica's lease on a service lasts unless renewed (each cycle), ms: a replica
   * that dies loses its services to the others after at most this plus one cycle. With metrics
   * exported, must be at least 2 × `cycleIntervalMs` and leave TTL + `cycleIntervalMs` under
   * `exportIntervalMs`. @default 3 × the refresh interval (6 s)
   */
  leaseTtlMs: number;
  /** Pending slow-log entries idle this long are reclaimed from a dead consumer, ms. @default 60000 */
  reclaimIdleMs: number;
  /** Slow-log entries read from each stream per XREADGROUP (`COUNT` applies per stream). @default 500 */
  slowBatchSize: number;
  /**
   * Distinct `quasar.slow.duration` series (kind, route, method, queue) kept per node; further
   * ones are counted in the node's overflow series (`otel.metric.overflow=true`). @default 200
   */
  slowSeriesPerNode: number;
  /**
   * Node ids with no heartbeat the collector knows that get their own `quasar.slow.duration`
   * resource, per service; the entries of further ones share the service's overflow resource.
   * @default 50
   */
  slowUnknownNodes: number;
  /**
   * `quasar.slow.duration` series kept over all resources, overflow series included; past it,
   * new series go to an overflow series. Bounds the slow-log share of each metrics request.
   * @default 5000
   */
  slowMaxSeries: number;
  /** pino log level. @default 'info' */
  logLevel: string;
  /** Bearer token the write routes (commands) require; unset, they take `apiToken`. */
  apiWriteToken: string | undefined;
  /** HMAC secret commands are signed with (`QUASAR_TOKEN`, shared with the agents). */
  commandToken: string | undefined;
  /**
   * Former command tokens (`QUASAR_TOKEN_PREVIOUS`, as the agents name them), tried after
   * `commandToken` to open a sealed inspected job written during a rotation.
   */
  commandPreviousTokens: readonly string[] | undefined;
  /** Issue unsigned commands when no `commandToken` is set (warned at start). @default false */
  allowUnsignedCommands: boolean;
  /** How long an issued command may still run (its `expiresAt`), ms. @default 60000 */
  commandTtlMs: number;
  /** How long a command reads `pending` before `expired`, ms. @default 120000 */
  commandResultTimeoutMs: number;
  /**
   * How long audit entries are kept: older ones are trimmed (`XADD … MINID`), younger ones never
   * are, however many commands arrive. @default 2592000000 (30 days)
   */
  auditRetentionMs: number;
  /**
   * Memory backstop on the audit stream's length (`MAXLEN ~`). The default is out of reach of
   * the command rate limit within the retention, so only the retention trims. @default 10000000
   */
  auditMaxLength: number;
  /** Commands one credential may issue per minute, sustained (per collector process). @default 60 */
  commandRatePerMinute: number;
  /** Commands one credential may issue at once before the per-minute rate applies. @default 60 */
  commandBurst: number;
}

export const COLLECTOR_DEFAULTS = {
  redisUrl: 'redis://localhost:6379',
  port: 8080,
  host: '0.0.0.0',
  cycleIntervalMs: 2000,
  exportIntervalMs: 10_000,
  scanIntervalMs: 60_000,
  forgetAfterMs: 3_600_000,
  maxPayloadBytes: 256 * 1024,
  maxExportBytes: 4 * 1024 * 1024,
  metricsProtocol: 'http/protobuf',
  logsProtocol: 'http/protobuf',
  consumerGroup: 'quasar-collector',
  reclaimIdleMs: 60_000,
  slowBatchSize: 500,
  slowSeriesPerNode: 200,
  slowUnknownNodes: 50,
  slowMaxSeries: 5_000,
  logLevel: 'info',
  commandTtlMs: 60_000,
  commandResultTimeoutMs: 120_000,
  auditRetentionMs: 30 * 86_400_000,
  auditMaxLength: 10_000_000,
  commandRatePerMinute: 60,
  commandBurst: 60,
} as const satisfies Partial<CollectorConfig>;
