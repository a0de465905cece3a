import { FailureScan } from '../../../src/queues/failures/failure-scan';

const failure = (id: string, failedAt: number, reason: string) => ({ id, failedAt, reason });

describe('FailureScan', () => {
  it('asks only for the jobs it has not read, or whose version changed', () => {
    const scan = new FailureScan();
    const listed = [{ id: '2', version: 20 }, { id: '1' }];
    expect(scan.toRead(listed).map((j) => j.id)).toEqual(['2', '1']);
    scan.record(listed[0]!, failure('2', 20, 'User 2 not found'));
    scan.record(listed[1]!, failure('1', 10, 'User 1 not found'));
    expect(scan.toRead(listed)).toEqual([]);
    // Job 1 failed again after a retry: it is now the newest, listed with its new score.
    expect(
      scan.toRead([
        { id: '1', version: 30 },
        { id: '2', version: 20 },
      ]),
    ).toEqual([{ id: '1', version: 30 }]);
    // Unscored, a job read before holds at whatever version it was read.
    expect(scan.toRead([{ id: '2' }, { id: '1' }])).toEqual([]);
  });

  it('groups the listed jobs it read, forgets the others, and skips the unread', () => {
    const scan = new FailureScan();
    scan.record({ id: '1' }, failure('1', 10, 'User 1 not found'));
    scan.record({ id: '2' }, failure('2', 20, 'User 2 not found'));
    scan.record({ id: '3' }, failure('3', 30, 'Timeout after 5 ms'));
    const view = scan.groups([{ id: '3' }, { id: '2' }, { id: 'gone' }]);
    expect(view.scanned).toBe(2);
    expect(view.groups.map((g) => [g.message, g.count])).toEqual([
      ['Timeout after <n> ms', 1],
      ['User <n> not found', 1],
    ]);
    expect(scan.sample('1')).toBeUndefined();
    expect(scan.toRead([{ id: '1' }])).toEqual([{ id: '1' }]);
  });

  it('gives the same groups again for the same jobs, and new ones once a job is read', () => {
    const scan = new FailureScan();
    scan.record({ id: '1' }, failure('1', 10, 'User 1 not found'));
    const first = scan.groups([{ id: '1' }]);
    expect(scan.groups([{ id: '1' }])).toBe(first);
    scan.record({ id: '2' }, failure('2', 20, 'User 2 not found'));
    const second = scan.groups([{ id: '2' }, { id: '1' }]);
    expect(second).not.toBe(first);
    expect(second.groups[0]).toMatchObject({ count: 2, firstSeen: 10, lastSeen: 20 });
    expect(scan.groups([{ id: '2' }]).scanned).toBe(1);
  });
});

describe('FailureScan frames', () => {
  const stack = (dir: string) =>
    `Error: x\n    at chargeCard (${dir}/src/billing.js:3:9)\n    at run (${dir}/node_modules/bullmq/worker.js:1:1)`;

  it('reads a frame under the application directory relative to it, alike across releases', () => {
    const keys = ['/srv/shop/releases/41', '/srv/shop/releases/42'].map((root) => {
      const scan = new FailureScan(root);
      scan.record({ id: '1' }, { id: '1', reason: 'x', stack: stack(root) });
      const [group] = scan.groups([{ id: '1' }]).groups;
      expect(group?.frame).toBe('chargeCard (src/billing.js)');
      return group?.key;
    });
    expect(keys[0]).toBe(keys[1]);
  });

  it('keeps a frame outside the application directory whole', () => {
    const scan = new FailureScan('/srv/other');
    scan.record({ id: '1' }, { id: '1', reason: 'x', stack: stack('/srv/shop') });
    expect(scan.groups([{ id: '1' }]).groups[0]?.frame).toBe(
      'chargeCard (/srv/shop/src/billing.js)',
    );
  });
});
