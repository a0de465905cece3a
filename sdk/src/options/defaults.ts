/** The one table of option defaults. */
export const DEFAULTS = {
  transportUrl: 'redis://localhost:6379',
  intervalMs: 10_000,
  /** Below this a heartbeat costs more than it tells. */
  minIntervalMs: 100,
  hostRoot: '/',
  otelEnabled: true,
  exportOtlp: false,
} as const;

/** Environment variable names, shared with the Go agent where it has one. */
export const ENV = {
  service: 'QUASAR_SERVICE',
  name: 'QUASAR_NAME',
  transportUrl: ['QUASAR_TRANSPORT_REDIS_URL', 'QUASAR_REDIS_URL', 'REDIS_URL'],
  monitorUrl: 'QUASAR_MONITOR_REDIS_URL',
  intervalSeconds: 'QUASAR_INTERVAL',
  hostRoot: 'QUASAR_HOST_ROOT',
  exportOtlp: 'QUASAR_OTLP_EXPORT',
} as const;
