/**
 * `GET /api/pulse/nodes` → one row per node: identity, status, CPU, memory and age. Rows are the
 * Pulse page's own {@link PulseNode}s, so the frame and the cards read a reply the same way
 * (no heap for the Go agent, used memory from total − available, the beat time as last seen).
 */
import { FieldType, type DataFrame } from '@grafana/data';
import { field, isRecord } from '../../api/read';
import { readNodes, type PulseNode } from '../../pulse/node';
import { type Column, toFrame } from './columns';
import { UnexpectedReplyError } from './entries';

const COLUMNS: ReadonlyArray<Column<PulseNode>> = [
  { name: 'service', type: FieldType.string, value: (n) => n.service },
  { name: 'id', type: FieldType.string, value: (n) => n.id },
  { name: 'hostname', type: FieldType.string, value: (n) => n.hostname },
  { name: 'language', type: FieldType.string, value: (n) => n.language },
  { name: 'platform', type: FieldType.string, value: (n) => n.platform },
  { name: 'pid', type: FieldType.number, value: (n) => n.pid },
  { name: 'status', type: FieldType.string, value: (n) => n.status },
  {
    name: 'cpuSystem',
    displayName: 'CPU (system)',
    type: FieldType.number,
    unit: 'percent',
    value: (n) => n.cpu.systemPercent,
  },
  {
    name: 'cpuProcess',
    displayName: 'CPU (process, % of one core)',
    type: FieldType.number,
    unit: 'percent',
    value: (n) => n.cpu.processPercent,
  },
  { name: 'cores', type: FieldType.number, value: (n) => n.cpu.cores },
  {
    name: 'memoryUsed',
    displayName: 'Memory used (system)',
    type: FieldType.number,
    unit: 'bytes',
    value: (n) => n.memory.usedBytes,
  },
  {
    name: 'memoryTotal',
    displayName: 'Memory total (system)',
    type: FieldType.number,
    unit: 'bytes',
    value: (n) => n.memory.totalBytes,
  },
  {
    name: 'rss',
    displayName: 'Process RSS',
    type: FieldType.number,
    unit: 'bytes',
    value: (n) => n.memory.rssBytes,
  },
  { name: 'heapUsed', type: FieldType.number, unit: 'bytes', value: (n) => n.memory.heapUsedBytes },
  {
    name: 'eventLoopP99',
    displayName: 'Event-loop delay p99',
    type: FieldType.number,
    unit: 'ms',
    value: (n) => n.eventLoop?.p99Ms ?? null,
  },
  { name: 'uptime', type: FieldType.number, unit: 's', value: (n) => n.uptimeSeconds },
  { name: 'ageMs', displayName: 'Age', type: FieldType.number, unit: 'ms', value: (n) => n.ageMs },
  { name: 'lastSeenAt', type: FieldType.time, value: (n) => n.lastSeenAt },
];

/**
 * Maps the nodes reply (at most `MAX_NODES` rows); throws `UnexpectedReplyError` when it is not
 * `{ nodes: { service: [...] } }`.
 */
export function nodesFrame(refId: string, body: unknown): DataFrame {
  if (!isRecord(field(body, 'nodes'))) {
    throw new UnexpectedReplyError('/api/pulse/nodes', '"nodes" object');
  }
  return toFrame(refId, 'nodes', readNodes(body), COLUMNS);
}
