/**
 * The Quasar schema: key builders, payload types and runtime validation for the
 * `gravito:quasar:*` namespace. Free of Node built-ins, so browsers can import it too.
 */
export {
  QUASAR_NAMESPACE,
  QuasarKeys,
  heartbeatTtlSeconds,
  parseNodeKey,
  parseSlowLogKey,
} from './keys';
export type { NodeKeyParts } from './keys';
export {
  MAX_NODE_ID_LENGTH,
  MAX_SERVICE_LENGTH,
  PROTOTYPE_MEMBER_NAMES,
  isNodeId,
  isServiceName,
} from './names';
export { KNOWN_LANGUAGES } from './heartbeat';
export type {
  CheckResult,
  FailedJobSample,
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
export { isRecord, isFiniteNumber } from './parse-result';
export type { ParseResult } from './parse-result';
export {
  DEFAULT_INTERVAL_MS,
  NodeStatus,
  ageOf,
  availableMemory,
  intervalOf,
  statusOf,
} from './read-heartbeat';
export {
  ALL_JOBS_KEY,
  COMMAND_RESULT_STATUSES,
  COMMAND_SCOPES,
  COMMAND_TYPES,
  canonicalCommand,
  parseCommand,
  parseCommandResult,
  resolveScope,
} from './command';
export type {
  CommandPayload,
  CommandResult,
  CommandResultStatus,
  CommandScope,
  CommandType,
  QuasarCommand,
  ResolvedScope,
} from './command';
