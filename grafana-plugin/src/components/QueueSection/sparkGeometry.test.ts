import { formatSpan, scaleOf, sparkPath, summarise } from './sparkGeometry';

const BOX = { width: 100, height: 22 };

describe('sparkPath', () => {
  it('draws numbers only, scaled from zero to the largest value over the time span', () => {
    const t = [0, 10, 20];
    const values = [0, 5, 10];
    const d = sparkPath(t, values, scaleOf(t, [values], 10), BOX);
    expect(d).toBe('M0 21L50 11L100 1');
    expect(d).toMatch(/^[ML0-9. -]+$/);
  });

  it('breaks the line at a missing value and at a time gap, and shows a lone point as a dash', () => {
    const t = [0, 10, 20, 30, 100];
    const values = [1, 1, null, 1, 1];
    const d = sparkPath(t, values, scaleOf(t, [values], 10), BOX);
    expect(d.match(/M/g)).toHaveLength(3);
    expect(d).toBe('M0 1L10 1M28 1L32 1M98 1L100 1');
  });
});

describe('summarise', () => {
  it('says the first and last values and the span, one step counted per point', () => {
    const t = Array.from({ length: 360 }, (_, i) => i * 10_000);
    const waiting = t.map((_, i) => (i === 0 ? 12 : i === 359 ? 40 : 20));
    expect(summarise('waiting', t, waiting, 10_000)).toBe('waiting: 12 → 40 over 1 h');
    expect(summarise('in', [0, 60_000], [null, 2.25], 10_000, '/min')).toBe('in: 2.3 → 2.3/min over 10 s');
    expect(summarise('out', [0], [null], 10_000)).toBe('out: no data');
  });

  it('reads spans in seconds, minutes and hours', () => {
    expect([formatSpan(40_000), formatSpan(900_000), formatSpan(5_400_000)]).toEqual(['40 s', '15 min', '1.5 h']);
  });
});
