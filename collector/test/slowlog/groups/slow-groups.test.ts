import type { SlowEntry } from '@gravito/quasar/schema';
import { SLOW_FIELD_MAX_LENGTH } from '@gravito/quasar/schema';
import { SlowGroups } from '../../../src/slowlog/groups/slow-groups';
import { MINUTES } from '../../../src/slowlog/groups/minute-ring';
import { slowJob, slowRequest } from '../consumer-fixture';

const NOW = 1_700_000_000_000;

function request(name: string, durationMs: number, timestamp = NOW): SlowEntry {
  return slowRequest({ name, route: name, durationMs, timestamp });
}

describe('SlowGroups', () => {
  it('groups entries by service, kind and name with exact count, max and last seen', () => {
    const groups = new SlowGroups();
    groups.record('shop', request('GET /a', 1200, NOW - 5000), '1-0', NOW);
    groups.record('shop', request('GET /a', 3400, NOW - 1000), '2-0', NOW);
    groups.record('shop', request('GET /a', 2000, NOW - 3000), '3-0', NOW);
    groups.record('billing', request('GET /a', 9000), '1-0', NOW);
    groups.record('shop', slowJob({ name: 'GET /a', durationMs: 7000 }), '4-0', NOW);

    const { groups: listed, total } = groups.list(
      { service: 'shop', kind: 'request', limit: 10 },
      NOW,
    );
    expect(total).toBe(1);
    expect(listed[0]).toMatchObject({
      service: 'shop',
      kind: 'request',
      name: 'GET /a',
      count: 3,
      maxMs: 3400,
      lastSeenMs: NOW - 1000,
    });
    expect(groups.size).toBe(3);
    expect(groups.list({ limit: 10 }, NOW).total).toBe(3);
    expect(groups.list({ kind: 'job', limit: 10 }, NOW).groups.map((g) => g.service)).toEqual([
      'shop',
    ]);
  });

  it('lists the most recently seen groups first, up to the limit', () => {
    const groups = new SlowGroups();
    for (let i = 0; i < 5; i++)
      groups.record('shop', request(`r${i}`, 100, NOW - 1000 * (5 - i)), `${i}-0`, NOW);
    const { groups: listed, total } = groups.list({ limit: 2 }, NOW);
    expect(total).toBe(5);
    expect(listed.map((g) => g.name)).toEqual(['r4', 'r3']);
  });

  it('keeps the trace id of the newest entry that carried one', () => {
    const groups = new SlowGroups();
    groups.record(
      'shop',
      { ...request('GET /a', 100, NOW - 3000), traceId: 'a'.repeat(32) },
      '1-0',
      NOW,
    );
    groups.record(
      'shop',
      { ...request('GET /a', 100, NOW - 1000), traceId: 'b'.repeat(32) },
      '2-0',
      NOW,
    );
    groups.record(
      'shop',
      { ...request('GET /a', 100, NOW - 2000), traceId: 'c'.repeat(32) },
      '3-0',
      NOW,
    );
    groups.record('shop', request('GET /a', 100, NOW), '4-0', NOW);
    expect(groups.list({ limit: 1 }, NOW).groups[0]!.lastTraceId).toBe('b'.repeat(32));
  });

  it('evicts the least recently seen group past the bound on groups, and counts it', () => {
    const groups = new SlowGroups({ maxGroups: 3, maxGroupsPerService: 3 });
    groups.record('a', request('one', 1), '1-0', NOW);
    groups.record('b', request('two', 1), '1-0', NOW);
    groups.record('c', request('three', 1), '1-0', NOW);
    groups.record('a', request('one', 1), '2-0', NOW); // seen again: now the newest
    groups.record('d', request('four', 1), '1-0', NOW);
    expect(groups.size).toBe(3);
    expect(groups.evictions).toEqual({ max_groups: 1, groups_per_service: 0 });
    expect(groups.services()).toEqual(['a', 'c', 'd']);
    expect(groups.entries({ service: 'b', kind: 'request', name: 'two' })).toBeUndefined();
    expect(groups.entries({ service: 'a', kind: 'request', name: 'one' })?.group.count).toBe(2);
  });

  it("bounds each service's groups, so one service's flood leaves the others' groups alone", () => {
    const groups = new SlowGroups({ maxGroups: 100, maxGroupsPerService: 10 });
    groups.record('quiet', request('GET /health', 1), '1-0', NOW);
    for (let i = 0; i < 10_000; i++)
      groups.record('loud', request(`GET /users/${i}`, i), `${i}-0`, NOW);
    expect(groups.list({ service: 'loud', limit: 100 }, NOW).total).toBe(10);
    expect(groups.list({ service: 'quiet', limit: 100 }, NOW).total).toBe(1);
    expect(groups.evictions).toEqual({ max_groups: 0, groups_per_service: 9990 });
    expect(groups.list({ service: 'loud', limit: 1 }, NOW).groups[0]!.name).toBe('GET /users/9999');
  });

  it('holds names that are HTML, __proto__ or as long as the schema allows as plain data', () => {
    const groups = new SlowGroups();
    const long = 'x'.repeat(SLOW_FIELD_MAX_LENGTH);
    const names = [
      '__proto__',
      'constructor',
      '<img src=x onerror=alert(1)>',
      long,
      'hasOwnProperty',
    ];
    for (const name of names) groups.record('__proto__', request(name, 10), '1-0', NOW);
    expect(groups.size).toBe(names.length);
    expect(groups.services()).toEqual(['__proto__']);
    for (const name of names) {
      expect(groups.entries({ service: '__proto__', kind: 'request', name })?.group.name).toBe(
        name,
      );
    }
    expect(({} as Record<string, unknown>).count).toBeUndefined();
    expect(groups.entries({ service: 'toString', kind: 'request', name: 'x' })).toBeUndefined();
  });

  it('keeps the last entries of a group, newest first, within their count and byte bounds', () => {
    const groups = new SlowGroups({ entries: 5, entryBytes: 5000 });
    for (let i = 0; i < 12; i++) groups.record('shop', request('GET /a', i), `${i}-0`, NOW);
    const key = { service: 'shop', kind: 'request', name: 'GET /a' } as const;
    expect(groups.entries(key)!.entries.map((e) => e.id)).toEqual([
      '11-0',
      '10-0',
      '9-0',
      '8-0',
      '7-0',
    ]);
    expect(groups.entries(key)!.entries[0]).toMatchObject({
      kind: 'request',
      name: 'GET /a',
      durationMs: 11,
    });

    const long = 'r'.repeat(SLOW_FIELD_MAX_LENGTH);
    for (let i = 0; i < 5; i++) {
      groups.record(
        'shop',
        { ...request('GET /a', 1), route: long, queue: long.slice(0, 256) },
        `l${i}`,
        NOW,
      );
    }
    const kept = groups.entries(key)!.entries;
    // Each such entry costs about 2.1 KB by `entryBytes`: two fit in 5,000 bytes, three do not.
    expect(kept.map((e) => e.id)).toEqual(['l4', 'l3']);
  });

  it('draws a sparkline of counts and maxima per minute over the last hour', () => {
    const groups = new SlowGroups();
    const minute = 60_000;
    const now = Math.floor(NOW / minute) * minute + 30_000;
    groups.record('shop', request('GET /a', 100, now), '1-0', now);
    groups.record('shop', request('GET /a', 300, now - 1000), '2-0', now);
    groups.record('shop', request('GET /a', 200, now - 5 * minute), '3-0', now);
    groups.record('shop', request('GET /a', 999, now - 2 * 60 * minute), '4-0', now);
    groups.record('shop', request('GET /a', 50, now + 10 * minute), '5-0', now);
    const { sparkline, count, maxMs } = groups.list({ limit: 1 }, now).groups[0]!;
    expect(count).toBe(5);
    expect(maxMs).toBe(999);
    expect(sparkline.counts).toHaveLength(MINUTES);
    expect(sparkline.counts[MINUTES - 1]).toBe(3);
    expect(sparkline.maxMs[MINUTES - 1]).toBe(300);
    expect(sparkline.counts[MINUTES - 6]).toBe(1);
    expect(sparkline.maxMs[MINUTES - 6]).toBe(200);
    expect(sparkline.counts.reduce((a, b) => a + b, 0)).toBe(4);
    // An hour on, the ring reads empty without having been swept.
    const later = groups.list({ limit: 1 }, now + 61 * minute).groups[0]!;
    expect(later.sparkline.counts.every((c) => c === 0)).toBe(true);
  });

  it("forgets a service's groups when it is another replica's", () => {
    const groups = new SlowGroups();
    groups.record('shop', request('GET /a', 1), '1-0', NOW);
    groups.record('billing', request('GET /a', 1), '1-0', NOW);
    groups.forgetService('shop');
    groups.forgetService('nobody');
    expect(groups.services()).toEqual(['billing']);
    expect(groups.size).toBe(1);
  });

  it('refuses bounds that are not whole numbers of 1 or more, naming them', () => {
    expect(() => new SlowGroups({ maxGroups: 0 })).toThrow(/maxGroups/);
    expect(() => new SlowGroups({ entries: 1.5 })).toThrow(/entries/);
  });
});
