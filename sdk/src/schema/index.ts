/**
 * The Quasar schema: key builders, payload types and runtime validation for the
 * `gravito:quasar:*` namespace. Free of Node built-ins, so browsers can import it too.
 */
export {
  COMMAND_KEY_TTL_SECONDS,
  INSPECTED_JOB_TTL_SECONDS,
  KEY_LAYOUTS,
  QUASAR_NAMESPACE,
  QuasarKeys,
  heartbeatTtlSeconds,
  parseNodeIndexKey,
  parseNodeKey,
  parseSlowLogKey,
  parseSlowLogStream,
  serviceKeys,
} from './keys';
export type { KeyLayout, NodeKeyParts, ServiceKeys } from './keys';
export {
  MAX_NODE_ID_LENGTH,
  MAX_SERVICE_LENGTH,
  PROTOTYPE_MEMBER_NAMES,
  isNodeId,
  isServiceName,
} from './names';
export {
  HEARTBEAT_BOUNDS,
  INTERVAL_RANGE_MS,
  JOB_DURATION_BOUNDS_MS,
  MAX_ACTIONS,
  MAX_CHECKS,
  MAX_COUNT,
  MAX_EPOCH_MS,
  MAX_FAILED_SAMPLE,
  MAX_FAILURE_GROUPS,
  MAX_FAILURE_TEXT,
  MAX_QUEUE_PERIODS,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_QUEUE_FIELD_BYTES,
  MAX_QUEUE_STATES,
  MAX_QUEUES,
  MAX_TEXT_LENGTH,
  QUEUE_BOUNDS,
} from './limits';
export type { JsonBounds } from './limits';
export { countEntries, fitsBounds } from './bounded-json';
export { KNOWN_LANGUAGES } from './heartbeat';
export type {
  CheckResult,
  FailedJobSample,
  JobDurationHistogram,
  JobOutcome,
  JobStats,
  QueueThroughput,
  QueuePeriod,
  PeriodDurations,
  Heartbeat,
  HeartbeatContainer,
  HeartbeatCpu,
  HeartbeatEventLoop,
  HeartbeatOtel,
  HeartbeatProcessMemory,
  HeartbeatRuntime,
  HeartbeatSystemMemory,
  KnownLanguage,
  QueueSize,
  QueueSnapshot,
} from './heartbeat';
export { parseHeartbeat } from './validate-heartbeat';
export { parseQueueSnapshot } from './validate-queue';
export type { FailureGroupView, FailureGroupsView } from './failure-groups';
export {
  HTTP_STATUS_RANGE,
  MAX_SLOW_DURATION_MS,
  MAX_SLOW_FIELDS,
  SLOW_FIELD_MAX_LENGTH,
  SLOW_KINDS,
  parseSlowEntry,
  slowEntryToFields,
} from './slow-entry';
export type { SlowEntry, SlowKind } from './slow-entry';
export { cut, inRange, isRecord, isFiniteNumber } from './parse-result';
export {
  MAX_PAUSE_RECORD_BYTES,
  PAUSE_RECORD_TTL_SECONDS,
  parsePauseRecord,
  pauseRecordText,
} from './pause-record';
export type { PauseRecord } from './pause-record';
export type { ParseResult } from './parse-result';
export {
  DEFAULT_INTERVAL_MS,
  NodeStatus,
  ageOf,
  availableMemory,
  intervalOf,
  statusOf,
} from './read-heartbeat';
export type { Liveness } from './read-heartbeat';
export {
  ALL_JOBS_KEY,
  COMMAND_SCOPES,
  COMMAND_TYPES,
  MAX_COMMAND_BYTES,
  MAX_COMMAND_FIELD_LENGTH,
  isCommandId,
  COMMAND_VERBS,
  SCOPES_OF,
  VERB_OF,
  canonicalCommand,
  isFingerprint,
  parseCommand,
  resolveScope,
} from './command';
export {
  MAX_PREVIEW_SAMPLE,
  MAX_RESULT_BYTES,
  MAX_SKIPPED_REASONS,
  parseCommandResult,
  COMMAND_RESULT_STATUSES,
} from './command-result';
export type { CommandPreview, SkippedJobs } from './command-result';
export {
  MAX_INSPECTED_JOB_BYTES,
  MAX_INSPECTED_LINE,
  MAX_INSPECTED_LINES,
  isSealedJob,
  readInspectedJob,
  readInspectedJobField,
} from './inspected-job';
export type { InspectedJob, InspectedTimestamps, SealedJob } from './inspected-job';
export type {
  CommandPayload,
  CommandResult,
  CommandResultStatus,
  CommandScope,
  CommandType,
  CommandVerb,
  QuasarCommand,
  ResolvedScope,
} from './command';
