import { QuasarKeys } from '@gravito/quasar/schema';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { commands, read, startApi } from './command-fixture';
import type { CommandApi } from './command-fixture';

interface AuditBody {
  entries: Array<{ id: string; entryId: string }>;
  next: string | null;
}

describeWithRedis('GET /api/pulse/audit', () => {
  let api: CommandApi;
  /** The seeded entries' stream ids, oldest first. */
  const ids: string[] = [];

  beforeAll(async () => {
    api = await startApi(await claimDatabase(), { commands: commands() });
    const pipeline = api.redis.pipeline();
    const from = Date.now() - 86_400_000;
    for (let i = 0; i < 2500; i++) {
      ids.push(`${from + i}-0`);
      pipeline.xadd(QuasarKeys.audit, `${from + i}-0`, 'id', `cmd-${i}`, 'at', String(from + i));
    }
    await pipeline.exec();
  });

  afterAll(async () => {
    await api?.close();
  });

  async function audit(query: string): Promise<AuditBody> {
    const res = await api.get(`/api/pulse/audit${query}`, read);
    expect(res.statusCode).toBe(200);
    return res.json<AuditBody>();
  }

  it('answers the newest page first, with the cursor of the next one', async () => {
    const page = await audit('?limit=3');
    expect(page.entries.map((e) => e.entryId)).toEqual(ids.slice(-3).reverse());
    expect(page.next).toBe(ids[ids.length - 3]);
  });

  it('reads the whole trail, beyond 1,000 entries, by following next', async () => {
    const seen: string[] = [];
    let query = '?limit=1000';
    for (let pages = 0; pages < 10; pages++) {
      const page = await audit(query);
      seen.push(...page.entries.map((e) => e.entryId));
      if (page.next === null) break;
      query = `?limit=1000&before=${page.next}`;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('answers an empty last page with no cursor before the oldest entry', async () => {
    expect(await audit(`?before=${ids[0]}`)).toEqual({ entries: [], next: null });
    expect(await audit('?before=0-0')).toEqual({ entries: [], next: null });
  });

  it.each([
    ['a limit of 0', '?limit=0'],
    ['a limit above 1000', '?limit=1001'],
    ['a limit in exponent form', '?limit=1e23'],
    ['a negative limit', '?limit=-1'],
    ['a limit that is not a number', '?limit=NaN'],
    ['an infinite limit', '?limit=Infinity'],
    ['a negative infinite limit', '?limit=-Infinity'],
    ['a fractional limit', '?limit=1.5'],
    ['a repeated limit', '?limit=1&limit=2'],
    ['a cursor that is not a stream id', '?before=abc'],
    ['a cursor with three parts', '?before=1-2-3'],
    ['a cursor with a leading zero', '?before=01-0'],
    ['a cursor without its sequence', '?before=1700000000000'],
    ['a cursor beyond 64 bits', '?before=99999999999999999999-0'],
    ['a cursor with an open range', '?before=(1-0'],
    ['a cursor that is only a sign', '?before=%2B'],
    ['a very long cursor', `?before=1-${'1'.repeat(5000)}`],
    ['a repeated cursor', `?before=1-0&before=2-0`],
    ['a __proto__ cursor', '?before=__proto__'],
    ['a __proto__ parameter', '?__proto__=1'],
    ['an after parameter, which the API does not take', '?after=1-0'],
  ])('rejects %s with 400 QUASAR_BAD_REQUEST', async (_what, query) => {
    const res = await api.get(`/api/pulse/audit${query}`, read);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('QUASAR_BAD_REQUEST');
  });
});

describeWithRedis('GET /api/pulse/commands/:id with hostile ids', () => {
  let api: CommandApi;

  beforeAll(async () => {
    api = await startApi(await claimDatabase(), { commands: commands() });
  });

  afterAll(async () => {
    await api?.close();
  });

  it.each([
    ['an id over 128 characters', `/${'a'.repeat(129)}`],
    ['an id of 10,000 characters', `/${'a'.repeat(10_000)}`],
    ['an id that is not valid percent-encoding', '/%E0%A4%A'],
    ['an id with a space', '/a%20b'],
    ['an id with a slash', '/a%2Fb'],
    ['a query string', '/cmd-1?verbose=1'],
  ])('rejects %s with 400 QUASAR_BAD_REQUEST', async (_what, path) => {
    const res = await api.get(`/api/pulse/commands${path}`, read);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('QUASAR_BAD_REQUEST');
  });

  it('takes an id of 128 characters', async () => {
    const res = await api.get(`/api/pulse/commands/${'a'.repeat(128)}`, read);
    expect(res.statusCode).toBe(404);
  });

  it('answers 404 for the id __proto__, like any unknown id', async () => {
    const res = await api.get('/api/pulse/commands/__proto__', read);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'QUASAR_COMMAND_UNKNOWN' } });
  });
});
