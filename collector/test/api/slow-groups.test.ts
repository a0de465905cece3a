import type { SlowEntry } from '@gravito/quasar/schema';
import { SLOW_FIELD_MAX_LENGTH } from '@gravito/quasar/schema';
import type { SlowGroupSummary } from '../../src/slowlog/groups/slow-group';
import { SlowGroups } from '../../src/slowlog/groups/slow-groups';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { bearer, startPulse } from './pulse-fixture';
import type { Pulse } from './pulse-fixture';

interface GroupsBody {
  groups: SlowGroupSummary[];
  total: number;
  serverTime: number;
  scope: { replica: string; services: string[] };
}

interface EntriesBody {
  group: SlowGroupSummary;
  entries: Array<SlowEntry & { id: string }>;
}

const NOW = Date.now();
const HTML = '<script>alert(1)</script>';
const LONG = 'GET /'.padEnd(SLOW_FIELD_MAX_LENGTH, 'x');

const entry = (
  kind: SlowEntry['kind'],
  name: string,
  durationMs: number,
  ago: number,
): SlowEntry => ({
  kind,
  name,
  durationMs,
  thresholdMs: 1000,
  nodeId: 'web-1',
  timestamp: NOW - ago,
});

describeWithRedis('GET /api/pulse/slow/groups', () => {
  let pulse: Pulse;
  let off: Pulse;
  const groups = new SlowGroups();

  beforeAll(async () => {
    const url = await claimDatabase();
    groups.record('shop', entry('request', 'GET /cart', 1200, 3000), '1-0', NOW);
    groups.record(
      'shop',
      { ...entry('request', 'GET /cart', 3400, 1000), traceId: 'ab'.repeat(16) },
      '2-0',
      NOW,
    );
    groups.record('shop', entry('job', 'SendInvoice', 7000, 2000), '3-0', NOW);
    groups.record('billing', entry('request', HTML, 1500, 500), '1-0', NOW);
    groups.record('__proto__', entry('request', '__proto__', 1100, 4000), '1-0', NOW);
    groups.record('shop', entry('request', LONG, 2000, 5000), '4-0', NOW);
    pulse = await startPulse(url, {}, {}, { slowGroups: { groups, replica: 'collector-a' } });
    off = await startPulse(url);
  });

  afterAll(async () => {
    await pulse?.close();
    await off?.close();
  });

  async function get<T>(path: string): Promise<T> {
    const res = await pulse.get(path, bearer);
    expect(res.statusCode).toBe(200);
    return res.json<T>();
  }

  it('lists every group, the most recently seen first, with what this replica holds', async () => {
    const body = await get<GroupsBody>('/api/pulse/slow/groups');
    expect(body.groups.map((g) => `${g.service}/${g.kind}/${g.name}`)).toEqual([
      `billing/request/${HTML}`,
      'shop/request/GET /cart',
      'shop/job/SendInvoice',
      '__proto__/request/__proto__',
      `shop/request/${LONG}`,
    ]);
    expect(body.total).toBe(5);
    expect(body.scope).toEqual({
      replica: 'collector-a',
      services: ['__proto__', 'billing', 'shop'],
    });
    expect(body.groups[1]).toMatchObject({
      count: 2,
      maxMs: 3400,
      lastSeenMs: NOW - 1000,
      lastTraceId: 'ab'.repeat(16),
    });
    expect(body.groups[1]!.sparkline.counts).toHaveLength(60);
  });

  it('filters by service and kind, and limits the list', async () => {
    const shop = await get<GroupsBody>('/api/pulse/slow/groups?service=shop&kind=request&limit=1');
    expect(shop.groups.map((g) => g.name)).toEqual(['GET /cart']);
    expect(shop.total).toBe(2);
    const proto = await get<GroupsBody>('/api/pulse/slow/groups?service=__proto__');
    expect(proto.groups.map((g) => g.name)).toEqual(['__proto__']);
    const none = await get<GroupsBody>('/api/pulse/slow/groups?service=constructor');
    expect(none).toMatchObject({ groups: [], total: 0 });
  });

  it("returns a group's raw entries, newest first, hostile names included", async () => {
    const cart = await get<EntriesBody>(
      '/api/pulse/slow/groups/entries?service=shop&kind=request&name=GET%20%2Fcart',
    );
    expect(cart.entries.map((e) => [e.id, e.durationMs, e.name, e.kind])).toEqual([
      ['2-0', 3400, 'GET /cart', 'request'],
      ['1-0', 1200, 'GET /cart', 'request'],
    ]);
    expect(cart.entries[1]).not.toHaveProperty('traceId');
    const html = await get<EntriesBody>(
      `/api/pulse/slow/groups/entries?service=billing&kind=request&name=${encodeURIComponent(HTML)}`,
    );
    expect(html.group.name).toBe(HTML);
    const long = await get<EntriesBody>(
      `/api/pulse/slow/groups/entries?service=shop&kind=request&name=${encodeURIComponent(LONG)}`,
    );
    expect(long.entries).toHaveLength(1);
  });

  it('answers 404 for a group it does not hold', async () => {
    const res = await pulse.get(
      '/api/pulse/slow/groups/entries?service=shop&kind=job&name=GET%20%2Fcart',
      bearer,
    );
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'QUASAR_SLOW_GROUP_UNKNOWN' } });
  });

  it.each([
    ['/api/pulse/slow/groups?limit=0', 'limit'],
    ['/api/pulse/slow/groups?limit=1001', 'limit'],
    ['/api/pulse/slow/groups?limit=Infinity', 'limit'],
    ['/api/pulse/slow/groups?kind=cron', 'kind'],
    ['/api/pulse/slow/groups?service=a&service=b', 'service'],
    ['/api/pulse/slow/groups?__proto__=1', '__proto__'],
    ['/api/pulse/slow/groups/entries?service=shop&kind=request', 'name'],
    [`/api/pulse/slow/groups/entries?service=shop&kind=job&name=${'x'.repeat(513)}`, 'name'],
    ['/api/pulse/slow/groups/entries?service=shop&kind=job&name=', 'name'],
  ])('refuses %s with a 400 naming %s', async (path, parameter) => {
    const res = await pulse.get(path, bearer);
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('QUASAR_BAD_REQUEST');
    expect(body.error.message).toContain(parameter === '__proto__' ? 'additional' : parameter);
  });

  it('requires the API token', async () => {
    for (const path of [
      '/api/pulse/slow/groups',
      '/api/pulse/slow/groups/entries?service=a&kind=job&name=b',
    ]) {
      expect((await pulse.get(path)).statusCode).toBe(401);
    }
  });

  it('answers 503 QUASAR_SLOW_GROUPS_OFF when the slow-log consumer does not run', async () => {
    for (const path of [
      '/api/pulse/slow/groups',
      '/api/pulse/slow/groups/entries?service=a&kind=job&name=b',
    ]) {
      const res = await off.get(path, bearer);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'QUASAR_SLOW_GROUPS_OFF' } });
    }
  });
});
