/** The node card of the Pulse page and panel. */
export { NodeCard, nodeCardPropsEqual, type NodeCardProps } from './NodeCard';
export { DEFAULT_CERT_WARNING_DAYS, DEFAULT_THRESHOLDS, type UsageThresholds } from './types';
