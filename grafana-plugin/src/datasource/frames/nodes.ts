/** `GET /api/pulse/nodes` → one row per node: identity, status, CPU, memory and age. */
import { FieldType, type DataFrame } from '@grafana/data';
import { at, isRecord, num, str } from '../../api/read';
import { type Column, toFrame } from './columns';

interface NodeRow {
  service: string;
  node: Record<string, unknown>;
}

const COLUMNS: ReadonlyArray<Column<NodeRow>> = [
  { name: 'service', type: FieldType.string, value: (r) => r.service },
  { name: 'id', type: FieldType.string, value: (r) => str(r.node.id) },
  { name: 'hostname', type: FieldType.string, value: (r) => str(r.node.hostname) },
  { name: 'language', type: FieldType.string, value: (r) => str(r.node.language) },
  { name: 'platform', type: FieldType.string, value: (r) => str(r.node.platform) },
  { name: 'pid', type: FieldType.number, value: (r) => num(r.node.pid) },
  { name: 'status', type: FieldType.string, value: (r) => str(r.node.status) },
  {
    name: 'cpuSystem',
    displayName: 'CPU (system)',
    type: FieldType.number,
    unit: 'percent',
    value: (r) => num(at(r.node, 'cpu', 'system')),
  },
  {
    name: 'cpuProcess',
    displayName: 'CPU (process, % of one core)',
    type: FieldType.number,
    unit: 'percent',
    value: (r) => num(at(r.node, 'cpu', 'process')),
  },
  { name: 'cores', type: FieldType.number, value: (r) => num(at(r.node, 'cpu', 'cores')) },
  {
    name: 'memoryUsed',
    displayName: 'Memory used (system)',
    type: FieldType.number,
    unit: 'bytes',
    value: (r) => num(at(r.node, 'memory', 'system', 'used')),
  },
  {
    name: 'memoryTotal',
    displayName: 'Memory total (system)',
    type: FieldType.number,
    unit: 'bytes',
    value: (r) => num(at(r.node, 'memory', 'system', 'total')),
  },
  {
    name: 'rss',
    displayName: 'Process RSS',
    type: FieldType.number,
    unit: 'bytes',
    value: (r) => num(at(r.node, 'memory', 'process', 'rss')),
  },
  {
    name: 'heapUsed',
    type: FieldType.number,
    unit: 'bytes',
    value: (r) => num(at(r.node, 'memory', 'process', 'heapUsed')),
  },
  {
    name: 'eventLoopP99',
    displayName: 'Event-loop delay p99',
    type: FieldType.number,
    unit: 'ms',
    value: (r) => num(at(r.node, 'eventLoop', 'p99')),
  },
  { name: 'uptime', type: FieldType.number, unit: 's', value: (r) => num(at(r.node, 'runtime', 'uptime')) },
  { name: 'ageMs', displayName: 'Age', type: FieldType.number, unit: 'ms', value: (r) => num(r.node.ageMs) },
  { name: 'lastSeenAt', type: FieldType.time, value: (r) => num(r.node.lastSeenAt) },
];

/** Maps the nodes reply; throws when it is not `{ nodes: { service: [...] } }`. */
export function nodesFrame(refId: string, body: unknown): DataFrame {
  const nodes = isRecord(body) ? body.nodes : undefined;
  if (!isRecord(nodes)) {
    throw new Error('Unexpected reply from /api/pulse/nodes: no "nodes" object');
  }
  const rows: NodeRow[] = [];
  for (const [service, list] of Object.entries(nodes)) {
    if (!Array.isArray(list)) {
      continue;
    }
    for (const node of list) {
      if (isRecord(node)) {
        rows.push({ service, node });
      }
    }
  }
  return toFrame(refId, 'nodes', rows, COLUMNS);
}
