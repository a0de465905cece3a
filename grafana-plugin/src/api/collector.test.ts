import { BAD_GATEWAY, READY, UNAUTHORIZED, fakeFetch, proxied } from '../testing/fakeBackendSrv';
import { CollectorError, checkCollector, collectorGet } from './collector';

let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
}));

const AUDIT_OK = { status: 200, data: { entries: [] } };

describe('collectorGet', () => {
  it('calls the collector through the app proxy route, leaving out empty params', async () => {
    mockFetch = fakeFetch({ [proxied('api/pulse/slow')]: { status: 200, data: { entries: [], skipped: 0 } } });

    await expect(collectorGet('api/pulse/slow', { service: '', limit: 5, since: undefined })).resolves.toEqual({
      entries: [],
      skipped: 0,
    });
    expect(mockFetch).toHaveBeenCalledWith(
      expect.objectContaining({ url: proxied('api/pulse/slow'), method: 'GET', params: { limit: 5 } })
    );
  });

  it("reports the collector's own error code and message, with a hint for a bad token", async () => {
    mockFetch = fakeFetch({ [proxied('api/pulse/nodes')]: UNAUTHORIZED });

    const error = await collectorGet('api/pulse/nodes').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    expect(error).toMatchObject({ status: 401, code: 'QUASAR_UNAUTHORIZED' });
    expect((error as Error).message).toBe(
      'missing or invalid bearer token: check the API token in the app configuration (QUASAR_UNAUTHORIZED)'
    );
  });

  it('says the collector is unreachable when Grafana answers 502 itself', async () => {
    mockFetch = fakeFetch({ [proxied('api/pulse/nodes')]: BAD_GATEWAY });

    await expect(collectorGet('api/pulse/nodes')).rejects.toThrow('Collector unreachable (Bad Gateway)');
  });

  it('says the role is missing when Grafana refuses the route', async () => {
    mockFetch = fakeFetch({ [proxied('api/pulse/command')]: { status: 403, data: { message: 'Forbidden' } } });

    await expect(collectorGet('api/pulse/command')).rejects.toThrow('Your Grafana role may not call api/pulse/command');
  });
});

describe('checkCollector', () => {
  it('succeeds when /readyz answers and the token is accepted', async () => {
    mockFetch = fakeFetch({ [proxied('readyz')]: READY, [proxied('api/pulse/audit')]: AUDIT_OK });

    await expect(checkCollector()).resolves.toEqual({
      ok: true,
      message: 'Collector ready: Redis reachable and API token accepted.',
    });
    expect(mockFetch).toHaveBeenCalledWith(expect.objectContaining({ params: { limit: 1 } }));
  });

  it('says when the collector has not read Redis yet', async () => {
    mockFetch = fakeFetch({
      [proxied('readyz')]: { status: 200, data: { status: 'ready', redis: 'ok', cycled: false } },
      [proxied('api/pulse/audit')]: AUDIT_OK,
    });

    await expect(checkCollector()).resolves.toMatchObject({ ok: true, message: expect.stringMatching(/first read/) });
  });

  it('fails with the reason when Redis is down behind the collector', async () => {
    mockFetch = fakeFetch({
      [proxied('readyz')]: {
        status: 503,
        data: { error: { code: 'QUASAR_REDIS_UNAVAILABLE', message: 'Redis is unreachable' } },
      },
    });

    await expect(checkCollector()).resolves.toEqual({
      ok: false,
      message: 'Redis is unreachable (QUASAR_REDIS_UNAVAILABLE)',
    });
  });

  it('fails when the token is rejected', async () => {
    mockFetch = fakeFetch({ [proxied('readyz')]: READY, [proxied('api/pulse/audit')]: UNAUTHORIZED });

    await expect(checkCollector()).resolves.toMatchObject({ ok: false, message: expect.stringMatching(/API token/) });
  });
});
