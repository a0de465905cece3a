/**
 * Hand-written OTLP encoders: metrics for the collector's `MetricBatch` (the SDK's object graph
 * is never built, which is what makes a 10,000-node cycle affordable) and logs for `sdk-logs`
 * records (2.5× cheaper per record than the stock serializer). Both are checked against the
 * stock serializers in the tests and round-tripped through the real OTel Collector.
 */
export {
  METRICS_PROTOBUF_FRAMING,
  encodeMetricsProtobuf,
  resourcePoints,
} from './metrics-protobuf';
export { METRICS_JSON_FRAMING, encodeMetricsJson } from './metrics-json';
export { decodeMetricsResponseProtobuf, parseMetricsResponseJson } from './metrics-response';
// Log records: the SDK's `ReadableLogRecord`s, written without the transformer's object graph.
export { LOGS_PROTOBUF_FRAMING, encodeLogsProtobuf } from './logs-protobuf';
export { LOGS_JSON_FRAMING, encodeLogsJson } from './logs-json';
export { groupLogRecords } from './logs-group';
export type { ResourceLogGroup } from './logs-group';
export type { RequestFraming } from './request-framing';
export { decodeLogsResponseProtobuf, parseLogsResponseJson } from './logs-response';
