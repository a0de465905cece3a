import { chunkKeys, chunkKeysBySlot } from '../../src/nodes/key-chunks';

const keys = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('chunkKeys', () => {
  it('cuts a single Redis read into plain slices, one group each', () => {
    expect(chunkKeys(keys(5), 2)).toEqual([[['k0', 'k1']], [['k2', 'k3']], [['k4']]]);
    expect(chunkKeys([], 2)).toEqual([]);
  });
});

describe('chunkKeysBySlot', () => {
  /** Slot = the key's prefix letter's code; node = slot parity. */
  const slotOf = (key: string) => key.charCodeAt(0);
  const nodeOf = (slot: number) => `node-${slot % 2}`;

  it('keeps one slot per group and one node per chunk, at most `size` keys a chunk', () => {
    const all = [...keys(5, 'a'), ...keys(1, 'b'), ...keys(2, 'c'), ...keys(1, 'd')];
    const chunks = chunkKeysBySlot(all, 3, slotOf, nodeOf);
    for (const chunk of chunks) {
      expect(chunk.flat().length).toBeLessThanOrEqual(3);
      expect(new Set(chunk.flat().map((k) => nodeOf(slotOf(k)))).size).toBe(1);
      for (const group of chunk) expect(new Set(group.map(slotOf)).size).toBe(1);
    }
    expect(chunks.flat(2).sort()).toEqual([...all].sort());
  });

  it('packs the small groups of one node together', () => {
    // a, c, e on node-1; b, d on node-0: one key each.
    const chunks = chunkKeysBySlot(['a', 'b', 'c', 'd', 'e'], 10, slotOf, nodeOf);
    expect(chunks).toEqual([
      [['a'], ['c'], ['e']],
      [['b'], ['d']],
    ]);
  });

  it('gives a full slot group a chunk of its own', () => {
    const chunks = chunkKeysBySlot(keys(4, 'a'), 2, slotOf, nodeOf);
    expect(chunks).toEqual([[['a0', 'a1']], [['a2', 'a3']]]);
  });
});
