import { QuasarKeys, slowEntryToFields } from '@gravito/quasar/schema';
import type { SlowEntry } from '@gravito/quasar/schema';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { original } from '../support/fixtures';
import { bearer, startPulse } from './pulse-fixture';
import type { Pulse } from './pulse-fixture';

interface SlowBody {
  entries: Array<SlowEntry & { id: string; service: string }>;
  skipped: number;
}

const request = (name: string, durationMs: number, timestamp: number): SlowEntry => ({
  kind: 'request',
  name,
  durationMs,
  thresholdMs: 1000,
  nodeId: 'web-1',
  timestamp,
  method: 'GET',
  route: name.split(' ')[1],
  status: 200,
});

describeWithRedis('GET /api/pulse/slow', () => {
  let pulse: Pulse;

  beforeAll(async () => {
    pulse = await startPulse(await claimDatabase());
    const { redis } = pulse;
    for (const service of ['checkout', 'search']) {
      const key = QuasarKeys.node(service, 'web-1');
      await redis.set(key, JSON.stringify(original('nodeBun', { service, id: 'web-1' })), 'EX', 30);
      await redis.zadd(QuasarKeys.nodeIndex, Date.now(), key);
    }
    // Explicit ids: stream ids carry the time the entry was written, which `since` filters on.
    const add = (service: string, id: string, fields: string[]) =>
      redis.xadd(QuasarKeys.slowLog(service), id, ...fields);
    await add('checkout', '1000-0', slowEntryToFields(request('GET /cart', 1200, 1000)));
    await add('search', '2000-0', slowEntryToFields(request('GET /q', 2200, 2000)));
    await add('checkout', '3000-0', slowEntryToFields(request('GET /pay', 3200, 3000)));
    await add('search', '4000-0', slowEntryToFields(request('GET /suggest', 4200, 4000)));
    await add('search', '4500-0', ['kind', 'bogus', 'name', 'x']);
    await add(
      'checkout',
      '5000-0',
      slowEntryToFields({ ...request('send-receipt', 5200, 5000), kind: 'job', queue: 'mail' }),
    );
    await add('orphan', '6000-0', slowEntryToFields(request('GET /old', 6200, 6000)));
    await pulse.cycle();
  });

  afterAll(async () => {
    await pulse?.close();
  });

  async function slow(query = ''): Promise<SlowBody> {
    const res = await pulse.get(`/api/pulse/slow${query}`, bearer);
    expect(res.statusCode).toBe(200);
    return res.json<SlowBody>();
  }

  it('returns the entries of every service, streams without a live node too, newest first', async () => {
    const body = await slow();
    expect(body.entries.map((e) => `${e.service}/${e.id}`)).toEqual([
      'orphan/6000-0',
      'checkout/5000-0',
      'search/4000-0',
      'checkout/3000-0',
      'search/2000-0',
      'checkout/1000-0',
    ]);
  });

  it('returns each entry with its fields decoded', async () => {
    const [, job, requestEntry] = (await slow()).entries;
    expect(job).toMatchObject({
      kind: 'job',
      name: 'send-receipt',
      queue: 'mail',
      durationMs: 5200,
    });
    expect(requestEntry).toEqual({
      id: '4000-0',
      service: 'search',
      kind: 'request',
      name: 'GET /suggest',
      durationMs: 4200,
      thresholdMs: 1000,
      nodeId: 'web-1',
      timestamp: 4000,
      method: 'GET',
      route: '/suggest',
      status: 200,
    });
  });

  it('skips malformed stream entries and reports how many', async () => {
    expect((await slow()).skipped).toBe(1);
  });

  it('keeps only entries written at or after `since`', async () => {
    const body = await slow('?since=3000');
    expect(body.entries.map((e) => e.id)).toEqual(['6000-0', '5000-0', '4000-0', '3000-0']);
  });

  it('returns at most `limit` entries', async () => {
    expect((await slow('?limit=2')).entries.map((e) => e.id)).toEqual(['6000-0', '5000-0']);
  });

  it('takes a since at the last date a clock can show, and finds nothing after it', async () => {
    expect((await slow('?since=8640000000000000')).entries).toEqual([]);
  });

  it('takes a since written with an exponent when it is a whole date', async () => {
    expect((await slow('?since=3e3')).entries.map((e) => e.id)).toHaveLength(4);
  });

  it('reads a service named __proto__ like any other', async () => {
    expect((await slow('?service=__proto__')).entries).toEqual([]);
  });

  it('reads one service when asked, even one without nodes', async () => {
    expect((await slow('?service=search')).entries.map((e) => e.id)).toEqual(['4000-0', '2000-0']);
    expect((await slow('?service=orphan')).entries.map((e) => e.name)).toEqual(['GET /old']);
  });

  it.each([
    ['limit=0', '?limit=0'],
    ['limit above the maximum', '?limit=5000'],
    ['a non-numeric limit', '?limit=abc'],
    ['a negative since', '?since=-1'],
    ['an unknown parameter', '?foo=1'],
    ['an empty service', '?service='],
    ['a since in exponent form beyond any date', '?since=1e23'],
    ['a since just beyond the last date', '?since=8640000000000001'],
    ['a since that is not a number', '?since=NaN'],
    ['an infinite since', '?since=Infinity'],
    ['an infinite limit', '?limit=Infinity'],
    ['a fractional since', '?since=1.5'],
    ['an empty since', '?since='],
    ['a limit in exponent form', '?limit=1e23'],
    ['a negative limit', '?limit=-1'],
    ['a repeated limit', '?limit=1&limit=2'],
    ['a repeated since', '?since=1&since=2'],
    ['a repeated service', '?service=search&service=checkout'],
    ['a service longer than 512 characters', `?service=${'s'.repeat(513)}`],
    ['a service with a line break', '?service=search%0Aforged'],
    ['a service with a C1 control character', '?service=search%C2%85'],
    ['a __proto__ parameter', '?__proto__=1'],
    ['a constructor parameter', '?constructor=1'],
  ])('rejects %s with 400 QUASAR_BAD_REQUEST', async (_what, query) => {
    const res = await pulse.get(`/api/pulse/slow${query}`, bearer);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('QUASAR_BAD_REQUEST');
  });
});
