import { countEntries } from '../../src/schema';

describe('countEntries', () => {
  const bounds = { maxDepth: 3, maxEntries: 6 };

  it('counts object members and array elements over the whole value', () => {
    expect(countEntries({ a: 1, b: [1, 2, { c: null }] }, bounds)).toBe(6);
    expect(countEntries([[], {}], bounds)).toBe(2);
    expect(countEntries('text', bounds)).toBe(0);
    expect(countEntries(null, bounds)).toBe(0);
  });

  it('refuses one entry over the bound, in an object or in an array', () => {
    expect(countEntries({ a: 1, b: [1, 2, { c: null, d: 0 }] }, bounds)).toBeUndefined();
    expect(countEntries([1, 2, 3, 4, 5, 6], bounds)).toBe(6);
    expect(countEntries([1, 2, 3, 4, 5, 6, 7], bounds)).toBeUndefined();
  });

  it('accepts the deepest level allowed and refuses one more', () => {
    expect(countEntries({ a: [{}] }, bounds)).toBe(2);
    expect(countEntries({ a: [{ b: 1 }] }, bounds)).toBe(3);
    expect(countEntries({ a: [[[]]] }, bounds)).toBeUndefined();
    expect(countEntries({ a: 1 }, { maxDepth: 0, maxEntries: 6 })).toBeUndefined();
  });
});
