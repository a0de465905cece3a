import { MAX_INDENT_DEPTH, prettyJson } from './prettyJson';

describe('prettyJson', () => {
  it('lays out an object as JSON.stringify does with two spaces', () => {
    const value = { to: 'a@example.test', tags: ['x', 'y'], empty: {}, none: [], n: 1, s: 'a,b:{c}' };
    expect(prettyJson(JSON.stringify(value))).toBe(JSON.stringify(value, null, 2));
  });

  it('keeps escaped quotes and backslashes inside strings', () => {
    const value = { html: '<img src=x onerror="window.__pwned=1">', path: 'C:\\\\x\\"', q: '"}' };
    expect(prettyJson(JSON.stringify(value))).toBe(JSON.stringify(value, null, 2));
  });

  it('returns text that is not an object or array unchanged', () => {
    expect(prettyJson('plain text, {not json}')).toBe('plain text, {not json}');
    expect(prettyJson('"a string"')).toBe('"a string"');
  });

  it('lays out a value cut mid-way without throwing', () => {
    const cut = JSON.stringify({ big: 'x'.repeat(100), more: [1, 2, 3] }).slice(0, 60);
    expect(prettyJson(cut)).toContain('"big": "xxx');
  });

  it('stops indenting past the depth bound, and lays out 100,000 levels without recursing', () => {
    let deep = '1';
    for (let i = 0; i < 200; i++) {
      deep = `{"a":${deep}}`;
    }
    const lines = prettyJson(deep).split('\n');
    const widest = Math.max(...lines.map((line) => line.length - line.trimStart().length));
    expect(widest).toBe(2 * MAX_INDENT_DEPTH);
    const hostile = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    // Too much growth for what it holds: shown as is.
    expect(prettyJson(hostile)).toBe(hostile);
  });
});
