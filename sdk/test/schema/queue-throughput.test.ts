/** A queue snapshot's `throughput`: rates kept when sound, the whole field dropped otherwise. */
import { parseQueueSnapshot } from '../../src/schema';

const size = { waiting: 0, active: 0, failed: 0, delayed: 0 };
const parse = (throughput: unknown) => {
  const result = parseQueueSnapshot({ name: 'emails', driver: 'bullmq', size, throughput });
  if (!result.ok) throw new Error(result.error);
  return result;
};

describe('queue snapshot throughput', () => {
  it('keeps in, out, failed, source and window', () => {
    const throughput = { in: 12.5, out: 11, failed: 3, source: 'events', windowMs: 60_000 };
    const result = parse(throughput);
    expect(result.value.throughput).toEqual(throughput);
    expect(result.warnings).toEqual([]);
  });

  it('keeps the original {in, out} and an out without in (Horizon)', () => {
    expect(parse({ in: 1, out: 2 }).value.throughput).toEqual({ in: 1, out: 2 });
    expect(parse({ out: 2, source: 'horizon' }).value.throughput).toEqual({
      out: 2,
      source: 'horizon',
    });
  });

  it('keeps the mean run time of the jobs counted in out (Horizon)', () => {
    const throughput = { out: 6, source: 'horizon', windowMs: 300_000, meanRunMs: 120.25 };
    expect(parse(throughput).value.throughput).toEqual(throughput);
  });

  it('leaves out fields it does not know', () => {
    expect(parse({ in: 1, out: 2, extra: 'x' }).value.throughput).toEqual({ in: 1, out: 2 });
  });

  it.each([
    ['a negative rate', { in: -1, out: 2 }],
    ['no out', { in: 1 }],
    ['a string failed rate', { in: 1, out: 2, failed: '1' }],
    ['an infinite rate', { in: Infinity, out: 2 }],
    ['a long source', { in: 1, out: 2, source: 'x'.repeat(500) }],
    ['an empty window', { in: 1, out: 2, windowMs: 0 }],
    ['a window past any clock', { in: 1, out: 2, windowMs: 1e15 }],
    ['a negative mean run time', { out: 2, meanRunMs: -1 }],
    ['a mean run time that is not a number', { out: 2, meanRunMs: '120' }],
    ['not an object', [1, 2]],
  ])('drops the whole field on %s, with a warning', (_, throughput) => {
    const result = parse(throughput);
    expect(result.value.throughput).toBeUndefined();
    expect(result.warnings).toEqual([expect.stringMatching(/^throughput: /)]);
  });
});
