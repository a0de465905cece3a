import { withServicePauses } from './queue-pauses';

const node = [
  { name: 'emails', paused: true },
  { name: 'reports', paused: false },
];

describe('withServicePauses', () => {
  it("copies who paused a queue from the service's snapshot onto the node's paused entry", () => {
    const service = [
      { name: 'emails', paused: true, pausedBy: 'ada', pausedAt: 5 },
      { name: 'reports', paused: true, pausedBy: 'bob', pausedAt: 6 },
    ];
    expect(withServicePauses(node, service)).toEqual([
      { name: 'emails', paused: true, pausedBy: 'ada', pausedAt: 5 },
      // The node's own snapshot says running: no pauser.
      { name: 'reports', paused: false },
    ]);
  });

  it('keeps the same array when there is nothing to add', () => {
    expect(withServicePauses(node, undefined)).toBe(node);
    expect(withServicePauses(node, [{ name: 'emails', paused: true }])).toBe(node);
  });

  it('reads only own fields, and ignores entries that are not queues', () => {
    const inherited = Object.create({ name: 'emails', paused: true, pausedBy: 'eve' }) as object;
    const service = [null, 7, 'emails', inherited, { name: '__proto__', paused: true, pausedBy: 'x' }];
    expect(withServicePauses(node, service)).toBe(node);
    expect(withServicePauses([null, 'x', ...node], [{ name: 'emails', paused: true, pausedBy: 'ada' }])).toEqual([
      null,
      'x',
      { name: 'emails', paused: true, pausedBy: 'ada', pausedAt: undefined },
      { name: 'reports', paused: false },
    ]);
  });
});
