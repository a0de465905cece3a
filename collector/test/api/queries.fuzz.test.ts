/**
 * Property of the API's query schemas over generated query strings (fast-check), against the
 * real app on a real Redis: whatever a client puts in a URL, every route answers 200, 400 or
 * 404 in the API's error shape, never a 500.
 */
import fc from 'fast-check';
import { fuzzParameters } from '../../../testing/fuzz';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { SlowGroups } from '../../src/slowlog/groups/slow-groups';
import { slowRequest } from '../slowlog/consumer-fixture';
import { bearer, startPulse, writeFleet } from './pulse-fixture';
import type { Pulse } from './pulse-fixture';

const ROUTES = [
  '/api/pulse/nodes',
  '/api/pulse/queues',
  '/api/pulse/queues/history',
  '/api/pulse/slow',
  '/api/pulse/slow/groups',
  '/api/pulse/slow/groups/entries',
  '/api/pulse/audit',
  '/api/pulse/commands/',
];

const hostileValue = fc.oneof(
  fc.constantFrom(
    '1e23',
    'Infinity',
    '-1',
    'NaN',
    '0x10',
    '',
    '__proto__',
    'constructor',
    '0-0',
    '1-1',
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 500, maxLength: 3000 }),
  fc.stringMatching(/^[0-9]{1,20}-[0-9]{1,20}$/),
);
const name = fc.constantFrom(
  'limit',
  'since',
  'service',
  'queue',
  'before',
  'after',
  '__proto__',
  'x',
  'kind',
  'name',
);
const query = fc.array(fc.tuple(name, hostileValue), { maxLength: 5 });

describeWithRedis('the API over generated queries', () => {
  let pulse: Pulse;

  beforeAll(async () => {
    const groups = new SlowGroups();
    groups.record('shop', slowRequest(), '1-0', Date.now());
    pulse = await startPulse(
      await claimDatabase(),
      {},
      {},
      { slowGroups: { groups, replica: 'a' } },
    );
    await pulse.redis.flushdb();
    await writeFleet(pulse.redis);
    await pulse.cycle();
  });

  afterAll(async () => {
    await pulse?.close();
  });

  it('answers every route with 200, 400 or 404, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        query,
        hostileValue,
        async (route, pairs, id) => {
          const search = new URLSearchParams(pairs).toString();
          const path = route.endsWith('/') ? `${route}${encodeURIComponent(id)}` : route;
          const res = await pulse.get(`${path}${search ? `?${search}` : ''}`, bearer);
          expect([200, 400, 404]).toContain(res.statusCode);
          const body = res.json<{ error?: { code: string } }>();
          if (res.statusCode !== 200) expect(body.error?.code).toMatch(/^QUASAR_/);
        },
      ),
      { ...fuzzParameters(), numRuns: Math.max(1, Math.floor(fuzzParameters().numRuns / 2)) },
    );
  });
});
