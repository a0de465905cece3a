import { MAX_ID_LENGTH, MAX_TEXT_LENGTH } from './limits';
import { at, clamped, epochMs, field, id, inRange, listOf, lookup, text } from './read';

describe('reading a reply', () => {
  it('reads own properties only, so a key named like an Object member finds nothing it lacks', () => {
    const reply = JSON.parse('{"__proto__": {"id": "x"}, "a": {"b": 1}}');
    expect(field(reply, '__proto__')).toEqual({ id: 'x' });
    expect(at(reply, '__proto__', 'id')).toBe('x');
    expect(field({}, 'constructor')).toBeUndefined();
    expect(field({}, 'toString')).toBeUndefined();
    expect(at(reply, 'a', 'b')).toBe(1);
    expect(at(reply, 'a', 'hasOwnProperty')).toBeUndefined();
    expect(field(Object.create({ id: 'inherited' }), 'id')).toBeUndefined();
    expect(field(['x'], '0')).toBeUndefined();
  });

  it('looks a data-derived key up in a table without finding what Object has', () => {
    const table = { node: 'Node.js' };
    expect(lookup(table, 'node')).toBe('Node.js');
    expect(lookup(table, 'constructor')).toBeUndefined();
    expect(lookup(table, '__proto__')).toBeUndefined();
  });

  it('cuts text with an ellipsis, never through a surrogate pair', () => {
    expect(text('short')).toBe('short');
    expect(text('x'.repeat(MAX_TEXT_LENGTH))).toHaveLength(MAX_TEXT_LENGTH);
    expect(text('x'.repeat(MAX_TEXT_LENGTH + 1))).toBe(`${'x'.repeat(MAX_TEXT_LENGTH - 1)}…`);
    const cut = text('😀'.repeat(MAX_TEXT_LENGTH))!;
    expect(cut.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    expect(cut).toBe(`${'😀'.repeat((MAX_TEXT_LENGTH - 2) / 2)}…`);
    expect(text(5)).toBeNull();
  });

  it('refuses an id too long to be one rather than cutting it into another', () => {
    expect(id('x'.repeat(MAX_ID_LENGTH))).toHaveLength(MAX_ID_LENGTH);
    expect(id('x'.repeat(MAX_ID_LENGTH + 1))).toBeNull();
    expect(id('')).toBeNull();
    expect(id(42)).toBeNull();
  });

  it('keeps numbers in range, clamps percentages, and reads instants Date can show', () => {
    expect(inRange(5, 0, 10)).toBe(5);
    expect(inRange(11, 0, 10)).toBeNull();
    expect(inRange(NaN, 0, 10)).toBeNull();
    expect(clamped(100.3, 0, 100)).toBe(100);
    expect(clamped(-2, 0, 100)).toBe(0);
    expect(clamped(Infinity, 0, 100)).toBeNull();
    expect(epochMs(1767500000000)).toBe(1767500000000);
    expect(epochMs(8.64e15)).toBe(8.64e15);
    expect(epochMs(1e16)).toBeNull();
    expect(epochMs(-1)).toBeNull();
  });

  it('reads at most max entries of a list, skipping the unreadable ones', () => {
    const read = (v: unknown) => (typeof v === 'number' ? v : null);
    expect(listOf([1, 'x', 2, 3], 2, read)).toEqual([1, 2]);
    expect(listOf(new Array(1_000_000).fill(7), 3, read)).toEqual([7, 7, 7]);
    expect(listOf('not a list', 3, read)).toEqual([]);
  });
});
