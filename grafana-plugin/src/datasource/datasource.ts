import {
  DataSourceApi,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { checkCollector, collectorGet } from '../api/collector';
import { QUERY_DEFINITIONS } from './queries';
import { DEFAULT_QUERY, type QuasarDataSourceOptions, type QuasarQuery } from './types';

/**
 * Quasar data as frames for stock panels. It reads the collector through the app's proxy
 * route, so the app's settings (URL, token, roles) apply and the data source stores nothing.
 */
export class QuasarDataSource extends DataSourceApi<QuasarQuery, QuasarDataSourceOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<QuasarDataSourceOptions>) {
    super(instanceSettings);
  }

  getDefaultQuery(): Partial<QuasarQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: QuasarQuery): boolean {
    return !query.hide;
  }

  async query(request: DataQueryRequest<QuasarQuery>): Promise<DataQueryResponse> {
    const targets = request.targets.filter((target) => this.filterQuery(target));
    const data = await Promise.all(targets.map((target) => this.runQuery(target, request.scopedVars)));
    return { data };
  }

  /** Runs one query; an unknown type is an error, never an empty frame. */
  async runQuery(query: QuasarQuery, scopedVars: ScopedVars = {}): Promise<DataFrame> {
    // A saved query is data: its type must name a row of the table, not something inherited.
    const type = query.queryType ?? DEFAULT_QUERY.queryType;
    const definition = Object.hasOwn(QUERY_DEFINITIONS, type) ? QUERY_DEFINITIONS[type] : undefined;
    if (!definition) {
      throw new Error(`Unknown Quasar query type: ${String(query.queryType)}`);
    }
    const service = query.service ? getTemplateSrv().replace(query.service, scopedVars) : undefined;
    const body = await collectorGet(definition.path, definition.params(query, service));
    return definition.toFrame(query.refId, body);
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    const check = await checkCollector();
    return { status: check.ok ? 'success' : 'error', message: check.message };
  }
}
