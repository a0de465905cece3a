import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

/** The collector reads a query can make; each maps onto one collector route. */
export const QueryTypes = {
  nodes: 'nodes',
  queues: 'queues',
  slow: 'slow',
  audit: 'audit',
} as const;

/** One of `QueryTypes`. */
export type QueryType = (typeof QueryTypes)[keyof typeof QueryTypes];

/** One Quasar query as stored in a panel. */
export interface QuasarQuery extends DataQuery {
  queryType: QueryType;
  /** Slow log: only this service (template variables allowed); all services when empty. */
  service?: string;
  /** Slow log and audit: newest entries to return. */
  limit?: number;
}

/** The data source has no settings of its own: the connection is the app's. */
export interface QuasarDataSourceOptions extends DataSourceJsonData {}

/** A new query lists the nodes. */
export const DEFAULT_QUERY: Partial<QuasarQuery> = {
  queryType: QueryTypes.nodes,
};
