import type { DataQueryRequest, DataSourceInstanceSettings } from '@grafana/data';
import { nodesReply, slowReply } from '../testing/collectorReplies';
import { BAD_GATEWAY, READY, fakeFetch, proxied } from '../testing/fakeBackendSrv';
import { QuasarDataSource } from './datasource';
import type { QuasarDataSourceOptions, QuasarQuery } from './types';

let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
  getTemplateSrv: () => ({ replace: (value: string) => value.replace('$service', 'checkout') }),
}));

const settings = {
  id: 1,
  uid: 'quasar',
  type: 'gravito-quasar-datasource',
  name: 'Quasar',
  jsonData: {},
  meta: { id: 'gravito-quasar-datasource' },
} as unknown as DataSourceInstanceSettings<QuasarDataSourceOptions>;

const request = (targets: QuasarQuery[]) => ({ targets, scopedVars: {} }) as unknown as DataQueryRequest<QuasarQuery>;

describe('QuasarDataSource', () => {
  const ds = new QuasarDataSource(settings);

  it('answers each visible query with a frame from its collector route', async () => {
    mockFetch = fakeFetch({
      [proxied('api/pulse/nodes')]: { status: 200, data: nodesReply },
      [proxied('api/pulse/slow')]: { status: 200, data: slowReply },
    });

    const response = await ds.query(
      request([
        { refId: 'A', queryType: 'nodes' },
        { refId: 'B', queryType: 'slow', service: '$service', limit: 20 },
        { refId: 'C', queryType: 'audit', hide: true },
      ])
    );

    expect(response.data.map((frame) => [frame.refId, frame.name, frame.length])).toEqual([
      ['A', 'nodes', 3],
      ['B', 'slow', 2],
    ]);
    expect(mockFetch).toHaveBeenCalledTimes(2);
    expect(mockFetch).toHaveBeenCalledWith(
      expect.objectContaining({ url: proxied('api/pulse/slow'), params: { service: 'checkout', limit: 20 } })
    );
  });

  it('fails the query with the collector error instead of returning an empty frame', async () => {
    mockFetch = fakeFetch({ [proxied('api/pulse/queues')]: BAD_GATEWAY });

    await expect(ds.query(request([{ refId: 'A', queryType: 'queues' }]))).rejects.toThrow('Collector unreachable');
  });

  it('rejects an unknown query type', async () => {
    const query = { refId: 'A', queryType: 'jobs' } as unknown as QuasarQuery;
    await expect(ds.runQuery(query)).rejects.toThrow('Unknown Quasar query type: jobs');
  });

  it.each(['constructor', '__proto__', 'toString'])(
    'rejects a saved query type named %s rather than reading it off Object.prototype',
    async (queryType) => {
      const query = { refId: 'A', queryType } as unknown as QuasarQuery;
      await expect(ds.runQuery(query)).rejects.toThrow(`Unknown Quasar query type: ${queryType}`);
    }
  );

  it('reports success from testDatasource when the collector is ready and accepts the token', async () => {
    mockFetch = fakeFetch({
      [proxied('readyz')]: READY,
      [proxied('api/pulse/audit')]: { status: 200, data: { entries: [] } },
    });

    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'success',
      message: 'Collector ready: Redis reachable and API token accepted.',
    });
  });

  it('reports an error from testDatasource when the collector is down', async () => {
    mockFetch = fakeFetch({ [proxied('readyz')]: BAD_GATEWAY });

    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'error',
      message: 'Collector unreachable (Bad Gateway)',
    });
  });
});
