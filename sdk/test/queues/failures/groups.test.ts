import { groupFailures } from '../../../src/queues/failures/groups';

describe('groupFailures', () => {
  const failures = [
    { id: '1', name: 'send', failedAt: 1_000, reason: 'SMTP timeout after 30000 ms' },
    { id: '2', name: 'send', failedAt: 3_000, reason: 'SMTP timeout after 31000 ms' },
    { id: '3', name: 'charge', failedAt: 2_000, reason: 'Card "4242" declined' },
    { id: '4', name: 'send', failedAt: 2_500, reason: 'SMTP timeout after 29000 ms' },
    { id: '5', name: 'sync', reason: 'User 7 not found' },
  ];

  it('counts each fingerprint, biggest first, with first and last seen and the newest example', () => {
    const { groups, others } = groupFailures(failures);
    expect(others).toBe(0);
    expect(groups.map((g) => [g.message, g.count])).toEqual([
      ['SMTP timeout after <n> ms', 3],
      ['Card <str> declined', 1],
      ['User <n> not found', 1],
    ]);
    expect(groups[0]).toMatchObject({ firstSeen: 1_000, lastSeen: 3_000, example: { id: '2' } });
    expect(groups[2]).not.toHaveProperty('firstSeen');
  });

  it('keeps `limit` groups and counts the failures of the rest', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      id: `${i}`,
      reason: `kind${'x'.repeat(i)} error`,
    }));
    const { groups, others } = groupFailures(many, 10);
    expect(groups).toHaveLength(10);
    expect(others).toBe(20);
  });

  it('keeps a hostile reason as data, never as a map key on a prototype', () => {
    const { groups } = groupFailures([
      { id: '1', reason: '__proto__' },
      { id: '2', reason: 'constructor' },
      { id: '3', reason: '__proto__' },
    ]);
    expect(groups.map((g) => [g.message, g.count])).toEqual([
      ['__proto__', 2],
      ['constructor', 1],
    ]);
    expect(({} as Record<string, unknown>).count).toBeUndefined();
  });
});
