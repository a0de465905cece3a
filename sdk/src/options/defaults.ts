/** The one table of option defaults. */
export const DEFAULTS = {
  transportUrl: 'redis://localhost:6379',
  intervalMs: 10_000,
  /** Below this a heartbeat costs more than it tells. */
  minIntervalMs: 100,
  hostRoot: '/',
  otelEnabled: true,
  exportOtlp: false,
  slowLog: {
    enabled: true,
    requestThresholdMs: 1000,
    jobThresholdMs: 5000,
    /** About a day of one slow entry every ten seconds, per service. */
    maxLen: 10_000,
    bufferSize: 1000,
  },
} as const;

/** Environment variable names, shared with the Go agent where it has one. */
export const ENV = {
  service: 'QUASAR_SERVICE',
  name: 'QUASAR_NAME',
  transportUrl: ['QUASAR_TRANSPORT_REDIS_URL', 'QUASAR_REDIS_URL', 'REDIS_URL'],
  monitorUrl: 'QUASAR_MONITOR_REDIS_URL',
  keyLayout: 'QUASAR_KEY_LAYOUT',
  intervalSeconds: 'QUASAR_INTERVAL',
  hostRoot: 'QUASAR_HOST_ROOT',
  exportOtlp: 'QUASAR_OTLP_EXPORT',
  slowLogEnabled: 'QUASAR_SLOW_LOG',
  slowRequestMs: 'QUASAR_SLOW_REQUEST_MS',
  slowJobMs: 'QUASAR_SLOW_JOB_MS',
  slowLogMaxLen: 'QUASAR_SLOW_LOG_MAXLEN',
} as const;
