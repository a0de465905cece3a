import { MAX_QUEUES } from '../../api/limits';
import { readNode, type PulseNode } from '../../pulse/node';
import { bunNode, goNode, sdkNode } from '../../testing/collectorReplies';
import {
  countByStatus,
  fillLevel,
  FILL_LEVELS,
  queueTotals,
  sameTile,
  serviceQueueTotals,
  tileLabel,
  tilePercent,
} from './summary';

const node = (raw: object): PulseNode => readNode(raw)!;

describe('countByStatus', () => {
  it('counts the nodes of each verdict, and any other as unknown', () => {
    const nodes = [
      node(bunNode),
      node({ ...bunNode, id: 'b' }),
      node(goNode),
      node({ ...sdkNode, status: 'offline' }),
      node({ ...sdkNode, id: 'x', status: 'zombie' }),
    ];
    expect(countByStatus(nodes)).toEqual({ online: 2, stale: 1, offline: 1, unknown: 1 });
  });
});

describe('queueTotals', () => {
  const emails = (waiting: number, extra: object = {}) => ({
    name: 'emails',
    driver: 'bullmq',
    size: { waiting, active: 1, delayed: 2, failed: 3, completed: 99 },
    ...extra,
  });

  it('counts a queue several nodes watch once, from the node that beat last', () => {
    const older = node({ ...bunNode, id: 'a', lastSeenAt: 1000 });
    const newer = node({ ...bunNode, id: 'b', lastSeenAt: 2000 });
    const raw = new Map<PulseNode, unknown[]>([
      [older, [emails(10)]],
      [newer, [emails(20), { name: 'reports', size: { waiting: 5, failed: 1 } }]],
    ]);
    const totals = queueTotals([older, newer], (n) => raw.get(n));
    expect(totals).toEqual({
      queues: 2,
      errors: 0,
      counts: { waiting: 25, active: 1, failed: 4, delayed: 2 },
    });
  });

  it('leaves a failed probe out of the totals and counts it as an error', () => {
    const a = node(bunNode);
    const totals = queueTotals([a], () => [emails(7, { error: 'NOPERM' }), emails(3, { name: 'sms' })]);
    expect(totals).toEqual({ queues: 2, errors: 1, counts: { waiting: 3, active: 1, failed: 3, delayed: 2 } });
  });

  it('skips entries without a usable name, odd counts and non-lists, and keys queues named like prototype members as themselves', () => {
    const a = node(bunNode);
    const hostile = [
      null,
      42,
      'emails',
      { size: { waiting: 1 } },
      { name: '', size: { waiting: 1 } },
      { name: '__proto__', size: { waiting: -4, active: 'lots', failed: 1.5, delayed: 2 } },
      { name: 'constructor', size: { waiting: 6 } },
    ];
    expect(queueTotals([a], () => hostile)).toEqual({
      queues: 2,
      errors: 0,
      counts: { waiting: 6, active: 0, failed: 0, delayed: 2 },
    });
    expect(queueTotals([a], () => undefined)).toEqual({
      queues: 0,
      errors: 0,
      counts: { waiting: 0, active: 0, failed: 0, delayed: 0 },
    });
  });
});

describe('tilePercent', () => {
  it("reads the machine's CPU and the system's used memory, as the card's system bars", () => {
    const n = node(bunNode);
    expect(tilePercent(n, 'cpu')).toBe(23);
    expect(tilePercent(n, 'memory')).toBeCloseTo((7650410496 / 16777216000) * 100);
  });

  it('is null when the node did not report the figure, and never leaves 0–100', () => {
    const bare = node({ id: 'bare', status: 'online' });
    expect(tilePercent(bare, 'cpu')).toBeNull();
    expect(tilePercent(bare, 'memory')).toBeNull();
    const over = node({ ...bunNode, memory: { system: { total: 100, used: 250 } } });
    expect(tilePercent(over, 'memory')).toBe(100);
  });
});

describe('serviceQueueTotals', () => {
  it("totals the collector's list of a service's queues, each entry once, failed probes apart", () => {
    const list = [
      { name: 'emails', size: { waiting: 10, active: 1, delayed: 2, failed: 3 } },
      { name: 'reports', size: { waiting: 5, failed: 1 } },
      { name: 'broken', size: { waiting: 99 }, error: 'NOPERM' },
      'junk',
      { size: { waiting: 1000 } },
    ];
    expect(serviceQueueTotals(list)).toEqual({
      queues: 3,
      errors: 1,
      counts: { waiting: 15, active: 1, failed: 4, delayed: 2 },
    });
  });

  it(`reads at most ${MAX_QUEUES} entries`, () => {
    const list = Array.from({ length: MAX_QUEUES + 10 }, (_, i) => ({ name: `q${i}`, size: { waiting: 1 } }));
    expect(serviceQueueTotals(list).counts.waiting).toBe(MAX_QUEUES);
  });
});

describe('sameTile', () => {
  const beat = (patch: object) => node({ ...bunNode, ...patch });

  it('holds for a node that beat again with the same figures', () => {
    expect(sameTile(beat({ lastSeenAt: 1 }), beat({ lastSeenAt: 2, ageMs: 5 }), 'cpu')).toBe(true);
  });

  it('fails for another id, another verdict or another CPU figure', () => {
    const a = beat({});
    expect(sameTile(a, beat({ id: 'other' }), 'cpu')).toBe(false);
    expect(sameTile(a, beat({ status: 'stale' }), 'cpu')).toBe(false);
    expect(sameTile(a, beat({ cpu: { ...bunNode.cpu, system: 24 } }), 'memory')).toBe(false);
  });

  it("follows what the tile shows: the label's one decimal and the fill's level", () => {
    const memory = (used: number) => beat({ memory: { system: { total: 1_000_000, used } } });
    // 25.00% and 25.04% read the same in the label and fill the same 3 px: the tile is the same.
    expect(tileLabel(memory(250_000))).toBe(tileLabel(memory(250_400)));
    expect(sameTile(memory(250_000), memory(250_400), 'cpu')).toBe(true);
    expect(sameTile(memory(250_000), memory(250_400), 'memory')).toBe(true);
    expect(sameTile(memory(250_000), memory(251_000), 'cpu')).toBe(false);
    // 37.45% and 37.55% read the same at one decimal (37.5%) but fill 4 and 5 px of 12.
    const cpu = (system: number) => beat({ cpu: { ...bunNode.cpu, system } });
    expect(sameTile(cpu(37.46), cpu(37.54), 'memory')).toBe(true);
    expect(sameTile(cpu(37.46), cpu(37.54), 'cpu')).toBe(false);
  });
});

describe('fillLevel', () => {
  const cpu = (system: unknown) => node({ ...bunNode, cpu: { ...bunNode.cpu, system } });

  it('rounds the figure to one of the levels, a pixel each on a 12 px tile', () => {
    expect(FILL_LEVELS).toBe(12);
    expect([0, 4, 4.2, 23, 37.45, 37.55, 95.9, 96, 100].map((p) => fillLevel(cpu(p), 'cpu'))).toEqual([
      0, 0, 1, 3, 4, 5, 12, 12, 12,
    ]);
  });

  it('is empty when the figure is missing', () => {
    expect(fillLevel(cpu(undefined), 'cpu')).toBe(0);
    expect(fillLevel(node({ ...bunNode, memory: undefined }), 'memory')).toBe(0);
  });
});
