/** The assignment's hash and rendezvous hashing: spread, stability and minimal movement. */
import { Assignment } from '../../src/replicas/assignment';
import { fmix32, fnv1a32, hash32 } from '../../src/replicas/rendezvous-hash';

const services = (n: number, prefix = 'svc-') =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Owner of every service, given the live replica ids (as replica `self` sees it). */
function owners(
  ids: readonly string[],
  units: readonly string[],
  self = ids[0]!,
): Map<string, string> {
  const assignment = new Assignment(self);
  assignment.setMembers(ids);
  return new Map(units.map((u) => [u, assignment.ownerOf(u)]));
}

function countsOf(owner: Map<string, string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of owner.values()) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe('the rendezvous hash', () => {
  it('is FNV-1a with the published offset basis and prime', () => {
    // Reference values of 32-bit FNV-1a.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('finalises with MurmurHash3 fmix32', () => {
    expect(fmix32(0)).toBe(0);
    // fmix32 is a bijection: distinct inputs stay distinct.
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(fmix32(i));
    expect(seen.size).toBe(10_000);
  });

  it('spreads similar names evenly over 64 buckets (chi-square)', () => {
    const buckets = new Array<number>(64).fill(0);
    const n = 64_000;
    for (const name of services(n)) buckets[hash32(name) % 64]!++;
    const expected = n / 64;
    const chi2 = buckets.reduce((sum, b) => sum + (b - expected) ** 2 / expected, 0);
    // 63 degrees of freedom: the 99.9th percentile is about 103.
    expect(chi2).toBeLessThan(103);
  });

  it('flips about half of the output bits for a one-character change (avalanche)', () => {
    let flipped = 0;
    const pairs = 2_000;
    for (let i = 0; i < pairs; i++) {
      const diff = hash32(`svc-${i}a`) ^ hash32(`svc-${i}b`);
      flipped += diff
        .toString(2)
        .split('')
        .filter((b) => b === '1').length;
    }
    const mean = flipped / pairs;
    expect(mean).toBeGreaterThan(15);
    expect(mean).toBeLessThan(17);
  });
});

describe('Assignment', () => {
  const three = ['collector-a-1', 'collector-b-1', 'collector-c-1'];

  it('gives every replica the same answer from the same membership', () => {
    const units = services(1000);
    const views = three.map((self) => owners(three, units, self));
    expect(views[1]).toEqual(views[0]);
    expect(views[2]).toEqual(views[0]);
  });

  it('spreads 1,000 services over 3 replicas within 4 standard deviations of a third each', () => {
    // Binomial(1000, 1/3): σ ≈ 14.9.
    for (const id of three) {
      const count = countsOf(owners(three, services(1000))).get(id) ?? 0;
      expect(Math.abs(count - 1000 / 3)).toBeLessThan(60);
    }
  });

  it('keeps the spread for many replica names, not only lucky ones', () => {
    for (let set = 0; set < 20; set++) {
      const ids = [0, 1, 2].map((i) => `host-${set}-${i}-${1000 + set * 7 + i}`);
      const counts = countsOf(owners(ids, services(1000, `orders-${set}-`)));
      for (const id of ids) expect(Math.abs((counts.get(id) ?? 0) - 1000 / 3)).toBeLessThan(60);
    }
  });

  it('moves about a quarter of 1,000 services to a 4th replica, and nothing else', () => {
    const units = services(1000);
    const before = owners(three, units);
    const four = [...three, 'collector-d-1'];
    const after = owners(four, units);
    const moved = units.filter((u) => before.get(u) !== after.get(u));
    // Every service that moved went to the new replica; none moved between the old ones.
    expect(moved.every((u) => after.get(u) === 'collector-d-1')).toBe(true);
    // Binomial(1000, 1/4): σ ≈ 13.7.
    expect(Math.abs(moved.length - 250)).toBeLessThan(55);
  });

  it('gives a departed replica’s services to the others and moves nothing else', () => {
    const units = services(1000);
    const before = owners(three, units);
    const after = owners(three.slice(1), units, three[1]);
    for (const u of units) {
      if (before.get(u) !== three[0]) expect(after.get(u)).toBe(before.get(u));
      else expect(three.slice(1)).toContain(after.get(u));
    }
  });

  it('always counts itself, whatever the membership it read', () => {
    const assignment = new Assignment('alone-1');
    assignment.setMembers([]);
    expect(assignment.memberIds).toEqual(['alone-1']);
    expect(services(50).every((u) => assignment.isMine(u))).toBe(true);
  });

  it('forgets the owners of units it is no longer asked about', () => {
    const assignment = new Assignment('a');
    assignment.setMembers(['a', 'b']);
    for (const u of services(100)) assignment.ownerOf(u);
    assignment.retain(new Set(['svc-1']));
    expect((assignment as unknown as { owners: Map<string, string> }).owners.size).toBe(1);
  });
});
