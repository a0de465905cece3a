/** Public API of `@gravito/quasar`. The schema is also available alone at `@gravito/quasar/schema`. */
export { QuasarAgent } from './agent/quasar-agent';
export type { StartResult } from './agent/quasar-agent';
export type {
  CheckOptions,
  CheckScheduleOptions,
  ExpectedStatus,
  HttpCheckOptions,
  HttpStatusClass,
  TcpCheckOptions,
} from './checks/types';
export type { CommandVerb } from './schema/command';
export type { RemoteControlOptions } from './commands/listener/remote-control-options';
export { QuasarConfigError } from './options/errors';
export type {
  LegacyProbe,
  LegacySystemMetrics,
  QuasarLogger,
  QuasarApplicationOptions,
  QuasarOptions,
  QuasarOtelOptions,
  QuasarSlowLogOptions,
  RedisConnectionConfig,
} from './options/types';
export { NODE_METRICS, pointsOf, readingFailed } from './otel/metric-table';
export type { InstrumentKind, MetricPoint, NodeMetric } from './otel/metric-table';
export {
  JOB_DURATION_BOUNDS_S,
  JOB_METRICS,
  JOB_OUTCOMES,
  histogramPoint,
  jobAttributes,
  outcomeAttributes,
} from './otel/job-metrics';
export type { JobHistogramPoint, JobMetric } from './otel/job-metrics';
export type { BullMQWorkerLike } from './jobs/bullmq-worker';
export type { JobRecordInput, JobRecordStats } from './jobs/types';
export { resourceAttributesOf } from './otel/resource-attributes';
export type { NodeDescription } from './otel/resource-attributes';
export type { TimedServer } from './slowlog/http-timing';
export type { HttpTimingOptions, SlowLogStats, SlowRecordInput } from './slowlog/types';
export { QUEUE_TYPES } from './queues/registry';
export type {
  CheckResult,
  FailedJobSample,
  FailureGroupView,
  FailureGroupsView,
  JobDurationHistogram,
  JobOutcome,
  JobStats,
  QueueSize,
  QueueSnapshot,
  SlowEntry,
  SlowKind,
} from './schema';
export { SDK_NAME, SDK_VERSION } from './version';
export { createRedisClient, duplicateRedisClient, isClusterClient } from './redis/redis-client';
export type { RedisClient } from './redis/redis-client';
export { CLUSTER_SLOTS, keySlot } from './redis/key-slot';
export {
  MAX_CLUSTER_SEEDS,
  MAX_REDIS_URL_LENGTH,
  RedisUrlError,
  parseRedisUrl,
  redactRedisUrl,
} from './redis/redis-url';
export type { ParsedRedisUrl, RedisSeed } from './redis/redis-url';
export { signCommand, verifyCommand } from './commands/signature';
export { sealJob, unsealJob } from './commands/inspect/seal';
export { DEFAULT_REDACT_KEYS } from './commands/inspect/redact';
