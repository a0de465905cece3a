/**
 * Hand-written OTLP metrics encoders for the collector's `MetricBatch`: the SDK's object
 * graph is never built, which is what makes a 10,000-node cycle affordable.
 */
export { encodeMetricsProtobuf } from './metrics-protobuf';
export { encodeMetricsJson } from './metrics-json';
export { decodeMetricsResponseProtobuf, parseMetricsResponseJson } from './metrics-response';
