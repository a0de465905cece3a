/**
 * What a Pulse read asks for, after its query string passed the schemas of `query-schemas.ts`:
 * which nodes (services, statuses, a search text) and how much of each (`fields`). One filter
 * is built per request or stream client and only ever read, so clients share nothing mutable.
 */
import type { NodeView } from '../nodes/node-view';

/** How much of each node a reply carries: the whole heartbeat, or `node-summary.ts`'s fields. */
export type PulseFields = 'full' | 'summary';

/** The Pulse filters as the query string gives them (validated and bounded by the schema). */
export interface PulseQuerystring {
  service?: string | string[];
  status?: string | string[];
  q?: string;
  fields?: PulseFields;
}

/** A parsed Pulse query: which nodes, and how much of each. */
export interface PulseFilter {
  /** Exact service names; undefined means every service. */
  services?: ReadonlySet<string>;
  /** Verdicts kept; undefined means every status. */
  statuses?: ReadonlySet<string>;
  /** Lower-cased search text matched inside service, node id, hostname and runtime. */
  search?: string;
  fields: PulseFields;
  /** Whether the request named any parameter: replies then carry `total`. */
  parameterised: boolean;
  /**
   * The filter as text, equal for equal filters: clients of one stream with the same key share
   * each tick's serialisation.
   */
  key: string;
}

const list = (value: string | string[] | undefined): string[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

/** The filter of a validated query string (with `extra` naming any other parameter given). */
export function pulseFilterOf(query: PulseQuerystring, extra = false): PulseFilter {
  const services = list(query.service);
  const statuses = list(query.status);
  const search = query.q?.trim().toLowerCase() || undefined;
  const fields = query.fields ?? 'full';
  const parameterised =
    extra ||
    Object.keys(query).some((name) => (query as Record<string, unknown>)[name] !== undefined);
  return {
    services: services && new Set(services),
    statuses: statuses && new Set(statuses),
    search,
    fields,
    parameterised,
    key: JSON.stringify([
      services ? [...new Set(services)].sort() : null,
      statuses ? [...new Set(statuses)].sort() : null,
      search ?? null,
      fields,
      parameterised,
    ]),
  };
}

/** Whether a service's queues pass the filter: only `service` applies to queues. */
export function serviceMatches(filter: PulseFilter, service: string): boolean {
  return filter.services === undefined || filter.services.has(service);
}

/** Whether a node passes the filter. */
export function nodeMatches(
  filter: PulseFilter,
  view: Pick<NodeView, 'heartbeat' | 'status'>,
): boolean {
  const { heartbeat } = view;
  if (!serviceMatches(filter, heartbeat.service)) return false;
  if (filter.statuses !== undefined && !filter.statuses.has(view.status)) return false;
  const needle = filter.search;
  if (needle === undefined) return true;
  return [heartbeat.service, heartbeat.id, heartbeat.hostname, heartbeat.language].some(
    (text) => typeof text === 'string' && text.toLowerCase().includes(needle),
  );
}

/** Whether the filter keeps every node and all of it: the reply is then today's, unchanged. */
export function keepsEverything(filter: PulseFilter): boolean {
  return !filter.parameterised;
}
