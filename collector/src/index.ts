/** Public API of `@gravito/quasar-collector`, for embedding the bridge in another process. */
export { buildApp } from './api/app';
export type { BuiltApp } from './api/app';
export type { ApiConfig, ApiDeps } from './api/deps';
export { API_ERRORS } from './api/errors';
export type { ApiErrorBody, ApiErrorCode } from './api/errors';
export { TokenConfigError } from './auth/check-tokens';
export type { ApiTokenSpec } from './auth/principal';
export { SCOPES, SCOPE_OF_COMMAND } from './auth/scopes';
export type { Scope } from './auth/scopes';
export { CollectorConfigError } from './config/errors';
export { COLLECTOR_DEFAULTS, OTLP_PROTOCOLS } from './config/options';
export type { CollectorConfig, OtlpProtocol } from './config/options';
export { resolveConfig } from './config/resolve';
export { QuasarCollector } from './cycle/quasar-collector';
export type {
  CollectorDeps,
  CollectorLogger,
  CollectorSettings,
  ExportOutcome,
} from './cycle/quasar-collector';
export { PulseState } from './cycle/pulse-state';
export type { PulseSnapshot } from './cycle/pulse-state';
export { PulseStatus } from './nodes/node-view';
export type { NodeView } from './nodes/node-view';
export { MetricBatchExporter } from './otlp/metric-exporter';
export { DEFAULT_GROUP_LIMITS, GROUP_BYTES_BOUND, SlowGroups } from './slowlog/groups/slow-groups';
export type { GroupKey, GroupQuery, SlowGroupLimits } from './slowlog/groups/slow-groups';
export type { SlowGroupSummary } from './slowlog/groups/slow-group';
export type { Sparkline } from './slowlog/groups/minute-ring';
export type { MetricBatch } from './otlp/metric-batch';
export { main } from './server';
export { COLLECTOR_NAME, COLLECTOR_VERSION } from './version';
