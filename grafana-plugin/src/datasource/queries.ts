/** The one table of query types: the collector route each reads and how its reply becomes a frame. */
import type { DataFrame } from '@grafana/data';
import type { QueryParams } from '../api/collector';
import { auditFrame } from './frames/audit';
import { nodesFrame } from './frames/nodes';
import { queuesFrame } from './frames/queues';
import { slowFrame } from './frames/slow';
import { QueryTypes, type QueryType, type QuasarQuery } from './types';

/** How one query type reads the collector. */
export interface QueryDefinition {
  label: string;
  description: string;
  path: string;
  /** Whether the editor offers a service filter and a limit. */
  takesService: boolean;
  takesLimit: boolean;
  params: (query: QuasarQuery, service: string | undefined) => QueryParams;
  toFrame: (refId: string, body: unknown) => DataFrame;
}

/** Every query type, keyed by `QueryTypes`; the editor and the data source both read it. */
export const QUERY_DEFINITIONS: Record<QueryType, QueryDefinition> = {
  [QueryTypes.nodes]: {
    label: 'Nodes',
    description: 'Every reporting node: status, CPU, memory, age',
    path: 'api/pulse/nodes',
    takesService: false,
    takesLimit: false,
    params: () => ({}),
    toFrame: nodesFrame,
  },
  [QueryTypes.queues]: {
    label: 'Queues',
    description: 'Job counts per queue and state',
    path: 'api/pulse/queues',
    takesService: false,
    takesLimit: false,
    params: () => ({}),
    toFrame: queuesFrame,
  },
  [QueryTypes.slow]: {
    label: 'Slow log',
    description: 'The newest slow requests and jobs',
    path: 'api/pulse/slow',
    takesService: true,
    takesLimit: true,
    params: (query, service) => ({ service, limit: query.limit }),
    toFrame: slowFrame,
  },
  [QueryTypes.audit]: {
    label: 'Commands (audit)',
    description: 'Issued commands and their outcome',
    path: 'api/pulse/audit',
    takesService: false,
    takesLimit: true,
    params: (query) => ({ limit: query.limit }),
    toFrame: auditFrame,
  },
};
