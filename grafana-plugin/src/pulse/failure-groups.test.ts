import { MAX_FAILURE_GROUPS } from '../api/limits';
import { readFailureGroups } from './failure-groups';

const group = (key: string, over: Record<string, unknown> = {}) => ({
  key,
  message: 'User <n> not found',
  frame: 'findUser (/app/users.js)',
  count: 2,
  firstSeen: 1_000,
  lastSeen: 2_000,
  example: { id: 7, name: 'sync', failedAt: 2_000, reason: 'User 7 not found' },
  ...over,
});

describe('readFailureGroups', () => {
  it('reads the groups with their example as a failed job', () => {
    expect(readFailureGroups({ groups: [group('a')], others: 3, scanned: 5 })).toEqual({
      groups: [
        {
          key: 'a',
          message: 'User <n> not found',
          frame: 'findUser (/app/users.js)',
          count: 2,
          firstSeen: 1_000,
          lastSeen: 2_000,
          example: { id: '7', name: 'sync', failedAt: 2_000, reason: 'User 7 not found' },
        },
      ],
      others: 3,
      scanned: 5,
    });
  });

  it(`reads at most ${MAX_FAILURE_GROUPS} groups, one per key, and cuts long texts`, () => {
    const groups = [group('dup'), group('dup'), ...Array.from({ length: 30 }, (_, i) => group(`k${i}`))];
    const read = readFailureGroups({ groups, others: 0, scanned: 64 });
    expect(read?.groups).toHaveLength(MAX_FAILURE_GROUPS);
    expect(read?.groups.filter((g) => g.key === 'dup')).toHaveLength(1);
    const long = readFailureGroups({ groups: [group('l', { message: 'm'.repeat(10_000) })], others: 0, scanned: 1 });
    expect(long?.groups[0]?.message.length).toBeLessThanOrEqual(200);
  });

  it('reads inherited keys as nothing and a prototype-named key as data', () => {
    const value = Object.create({ groups: [group('x')], others: 0, scanned: 1 }) as object;
    expect(readFailureGroups(value)).toBeNull();
    const read = readFailureGroups(
      JSON.parse('{"groups":[{"key":"__proto__","message":"m","count":1,"example":{"id":"1"}}],"others":0,"scanned":1}')
    );
    expect(read?.groups.map((g) => g.key)).toEqual(['__proto__']);
  });
});
