/**
 * Which data source a trace id links to: the one set in the app's configuration, else the
 * first tracing data source (Tempo, Jaeger or Zipkin) Grafana knows. Outside Grafana (the
 * standalone page) there is no data source service: ids are then offered for copying.
 */
import { getDataSourceSrv } from '@grafana/runtime';

/** The data source types whose Explore looks a bare trace id up (see `exploreTraceUrl`). */
export const TRACE_DATASOURCE_TYPES: readonly string[] = ['tempo', 'jaeger', 'zipkin'];

/** The uid of the data source trace ids link to, or undefined: no link, only the id. */
export function tracingDatasourceUid(configured?: string): string | undefined {
  if (configured) {
    return configured;
  }
  try {
    // Deprecated in Grafana 13, but the only public way to list data sources by capability: its
    // replacements list only through `@grafana/runtime/internal`.
    const found = getDataSourceSrv()
      .getList({ tracing: true })
      .find((source) => TRACE_DATASOURCE_TYPES.includes(source.type));
    return found?.uid;
  } catch {
    // No data source service: not inside Grafana.
    return undefined;
  }
}
