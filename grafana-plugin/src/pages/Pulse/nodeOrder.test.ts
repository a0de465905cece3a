import { readNodes, type PulseNode } from '../../pulse/node';
import { nodesReply } from '../../testing/collectorReplies';
import { sortNodes } from './filterNodes';
import { rememberedSort } from './nodeOrder';

const [template] = readNodes(nodesReply);
const node = (service: string, id: string, lastSeenAt = 1): PulseNode => ({ ...template, service, id, lastSeenAt });
const keys = (nodes: readonly PulseNode[]) => nodes.map((n) => `${n.service}/${n.id}`);

const fleet = (lastSeenAt: number) => [
  node('shop', 'node-10', lastSeenAt),
  node('mail', 'node-2', lastSeenAt),
  node('shop', 'node-2', lastSeenAt),
  node('Mail', 'node-1', lastSeenAt),
  node('shop', 'node-1', lastSeenAt),
];

describe('rememberedSort', () => {
  it('sorts as sortNodes does, leaving its input alone', () => {
    const input = fleet(1);
    const before = [...input];
    expect(rememberedSort()(input)).toEqual(sortNodes(input));
    expect(input).toEqual(before);
  });

  it('returns the new objects in order when the same nodes come again', () => {
    const sort = rememberedSort();
    sort(fleet(1));
    const again = fleet(2);
    const sorted = sort(again);
    expect(keys(sorted)).toEqual(keys(sortNodes(again)));
    expect(sorted.every((n) => again.includes(n) && n.lastSeenAt === 2)).toBe(true);
  });

  it('sorts again when a node comes, goes or moves', () => {
    const sort = rememberedSort();
    sort(fleet(1));
    const added = [...fleet(2), node('api', 'node-3')];
    expect(keys(sort(added))).toEqual(keys(sortNodes(added)));
    const gone = fleet(3).slice(1);
    expect(keys(sort(gone))).toEqual(keys(sortNodes(gone)));
    const moved = [...gone].reverse();
    expect(keys(sort(moved))).toEqual(keys(sortNodes(moved)));
    const renamed = moved.map((n, i) => (i === 0 ? { ...n, service: 'zeta' } : n));
    expect(keys(sort(renamed))).toEqual(keys(sortNodes(renamed)));
  });
});
