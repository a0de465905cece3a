/** Every option `QuasarAgent` takes. Defaults are in `defaults.ts`, merged once in `resolve.ts`. */
import type { MeterProvider } from '@opentelemetry/api';
import type { RedisOptions } from 'ioredis';
import type { RedisClient } from '../redis/redis-client';
import type { KeyLayout } from '../schema/keys';

/** A Redis connection: a URL, an existing client, or ioredis options. */
export interface RedisConnectionConfig {
  /**
   * `redis://` or `rediss://` URL of one Redis, or `redis+cluster://[user:pass@]host:port[,host:port…]`
   * (`rediss+cluster://` for TLS) of a Redis Cluster given by seed nodes. Its credentials,
   * database and TLS are kept on every connection the SDK opens from it.
   */
  url?: string;
  /**
   * An ioredis client owned by the application, a `Redis` or a `Cluster`; the agent uses it
   * and never closes it.
   */
  client?: RedisClient;
  /** ioredis options merged over the agent's connection defaults (each node's, on a cluster). */
  options?: RedisOptions;
}

/** The system metrics a custom probe returns: the `@gravito/quasar` 1.0 `Probe` contract. */
export interface LegacySystemMetrics {
  cpu: { system: number; process: number; cores: number };
  memory: {
    system: { total: number; free: number; used: number };
    process: { rss: number; heapTotal: number; heapUsed: number };
  };
  language?: string;
  version?: string;
  pid: number;
  hostname: string;
  platform: string;
  /** Seconds. */
  uptime: number;
}

/** A custom system probe, as in `@gravito/quasar` 1.0. Its figures replace the built-in readings. */
export interface LegacyProbe {
  getMetrics(): Promise<LegacySystemMetrics> | LegacySystemMetrics;
}

/** Where problems are reported. The default writes through the OTel `diag` logger. */
export interface QuasarLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** How the agent's readings reach OpenTelemetry. */
export interface QuasarOtelOptions {
  /**
   * Record the readings as OTel instruments.
   * @default true
   */
  enabled?: boolean;
  /**
   * The MeterProvider to record on. The SDK never registers or replaces a global provider.
   * @default the global MeterProvider (`metrics.getMeterProvider()`)
   */
  meterProvider?: MeterProvider;
  /**
   * One-line opt-in: when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_METRICS_ENDPOINT`) is set, create
   * a private MeterProvider that exports over OTLP/HTTP, with this node as its resource.
   * Environment: `QUASAR_OTLP_EXPORT=true`.
   * @default false
   */
  exportOtlp?: boolean;
  /**
   * Tell the collector this node exports its own OTel metrics, so it does not export them again.
   * @default true when `exportOtlp` is active or a `meterProvider` is given, else false
   */
  selfExport?: boolean;
}

/**
 * The slow log: requests and jobs that took at least their kind's threshold, written to the
 * stream `gravito:quasar:slow:{service}`. See `QuasarAgent.recordSlow()`.
 */
export interface QuasarSlowLogOptions {
  /**
   * Record slow entries. When false, `recordSlow()` returns false and does nothing.
   * Environment: `QUASAR_SLOW_LOG`.
   * @default true
   */
  enabled?: boolean;
  /**
   * A request is slow from this many milliseconds on. Environment: `QUASAR_SLOW_REQUEST_MS`.
   * @default 1000
   */
  requestThresholdMs?: number;
  /**
   * A job is slow from this many milliseconds on. Environment: `QUASAR_SLOW_JOB_MS`.
   * @default 5000
   */
  jobThresholdMs?: number;
  /**
   * Approximate length cap of the stream (`XADD … MAXLEN ~ maxLen`). Redis trims whole
   * macro nodes only, so the stream can hold up to one node (`stream-node-max-entries`, 100 by
   * default) more. Environment: `QUASAR_SLOW_LOG_MAXLEN`.
   * @default 10000
   */
  maxLen?: number;
  /**
   * Entries kept in memory while Redis is unreachable. When full, the oldest is dropped and
   * counted in `getSlowLogStats().dropped`.
   * @default 1000
   */
  bufferSize?: number;
}

/**
 * For a sidecar that reports on another application (the `quasar-agent` daemon watching a
 * Laravel app): what the heartbeat says about that application instead of the agent itself.
 */
export interface QuasarApplicationOptions {
  /**
   * The application's runtime, reported as the heartbeat's `language` (`php`, `python`, …).
   * @default the agent's own runtime (`node`, `bun` or `deno`)
   */
  language?: string;
  /**
   * The application's runtime version, reported as `version`.
   * @default the agent's own runtime version
   */
  version?: string;
  /**
   * Extra `meta` fields, called synchronously on every beat (keep it cheap). When it throws, the
   * beat goes out without them, with `reading_failed:meta` in `runtime.errors`.
   * @default none
   */
  meta?: () => Record<string, unknown>;
}

/** Options of `new QuasarAgent(options)`. Each also reads the Go agent's environment names. */
export interface QuasarOptions {
  /**
   * Service (group) name. Environment: `QUASAR_SERVICE`. Required.
   */
  service?: string;
  /**
   * Node name, the first part of the node id `{name}-{pid}`. Environment: `QUASAR_NAME`.
   * @default the OS hostname
   */
  name?: string;
  /**
   * The Redis shared with the collector, where heartbeats go. Environment:
   * `QUASAR_TRANSPORT_REDIS_URL`, then `QUASAR_REDIS_URL`, then `REDIS_URL`.
   * @default { url: 'redis://localhost:6379' }
   */
  transport?: RedisConnectionConfig;
  /**
   * The application's own Redis, where its queues live. Environment: `QUASAR_MONITOR_REDIS_URL`.
   * @default none (no queue probes)
   */
  monitor?: RedisConnectionConfig;
  /** Shorthand for `transport.url`, kept from 1.0. */
  redisUrl?: string;
  /**
   * How the heartbeat, its node index entry, the queue hash and the slow log are keyed in the
   * transport Redis: `v1`, the original layout with one fleet-wide node index, or `v2`, where
   * every key of a service shares one Redis Cluster hash slot (`gravito:quasar:node:{service}:…`;
   * see docs/protocol.md). The collector reads both. Environment: `QUASAR_KEY_LAYOUT`.
   * @default `'v2'` on a Redis Cluster transport (a `redis+cluster://` URL or a `Cluster` client), else `'v1'`
   */
  keyLayout?: KeyLayout;
  /**
   * Milliseconds between heartbeats. Environment: `QUASAR_INTERVAL`, in **seconds**.
   * @default 10000
   */
  interval?: number;
  /** A custom system probe (1.0 contract). @default the built-in readings */
  probe?: LegacyProbe;
  /** OpenTelemetry settings. */
  otel?: QuasarOtelOptions;
  /** Where the agent reports problems. @default the OTel `diag` logger */
  logger?: QuasarLogger;
  /**
   * Root under which `/proc` and `/sys/fs/cgroup` are read, e.g. `/host` when the host's
   * filesystem is mounted into a sidecar. Environment: `QUASAR_HOST_ROOT`.
   * @default '/'
   */
  hostRoot?: string;
  /** Slow requests and slow jobs. @default enabled, with the thresholds below */
  slowLog?: QuasarSlowLogOptions;
  /** For a sidecar: report the watched application's runtime and extra `meta`. @default none */
  application?: QuasarApplicationOptions;
}
