import { renderPrometheus } from '../../src/self/prometheus-text';
import type { Family } from '../../src/self/prometheus-text';
import { parsePrometheus } from './prometheus-parse';

const gauge = (samples: Family['samples'], help = 'A gauge.'): Family => ({
  name: 'quasar_test_value',
  help,
  type: 'gauge',
  samples,
});

describe('renderPrometheus', () => {
  it('writes HELP, TYPE and one line per sample', () => {
    const text = renderPrometheus([
      {
        name: 'quasar_test_total',
        help: 'Things counted.',
        type: 'counter',
        samples: [{ value: 3 }, { labels: { reason: 'invalid' }, value: 4 }],
      },
    ]);
    expect(text).toBe(
      '# HELP quasar_test_total Things counted.\n' +
        '# TYPE quasar_test_total counter\n' +
        'quasar_test_total 3\n' +
        'quasar_test_total{reason="invalid"} 4\n',
    );
  });

  it('writes a histogram as its _bucket, _sum and _count series, which the parser accepts', () => {
    const text = renderPrometheus([
      {
        name: 'quasar_test_bytes',
        help: 'Sizes.',
        type: 'histogram',
        samples: [
          { suffix: '_bucket', labels: { le: '1024' }, value: 1 },
          { suffix: '_bucket', labels: { le: '+Inf' }, value: 2 },
          { suffix: '_sum', value: 5000 },
          { suffix: '_count', value: 2 },
        ],
      },
    ]);
    expect(text).toBe(
      '# HELP quasar_test_bytes Sizes.\n' +
        '# TYPE quasar_test_bytes histogram\n' +
        'quasar_test_bytes_bucket{le="1024"} 1\n' +
        'quasar_test_bytes_bucket{le="+Inf"} 2\n' +
        'quasar_test_bytes_sum 5000\n' +
        'quasar_test_bytes_count 2\n',
    );
    expect(parsePrometheus(text).map((s) => s.name)).toContain('quasar_test_bytes_count');
    const counterWithSuffix = text.replace('histogram', 'counter');
    expect(() => parsePrometheus(counterWithSuffix)).toThrow(/no # TYPE/);
  });

  it('escapes backslashes, quotes and newlines in label values', () => {
    const value = 'C:\\queue "main"\nnext';
    const text = renderPrometheus([gauge([{ labels: { queue: value }, value: 1 }])]);
    expect(text).toContain('quasar_test_value{queue="C:\\\\queue \\"main\\"\\nnext"} 1\n');
    expect(parsePrometheus(text)[0]?.labels.queue).toBe(value);
  });

  it('escapes backslashes and newlines in HELP, leaving quotes alone', () => {
    const text = renderPrometheus([gauge([], 'Path C:\\tmp, "quoted"\nsecond line')]);
    expect(text).toContain('# HELP quasar_test_value Path C:\\\\tmp, "quoted"\\nsecond line\n');
    expect(text.split('\n')).toHaveLength(3);
  });

  it('renders NaN and both infinities as Prometheus spells them', () => {
    const text = renderPrometheus([
      gauge([
        { labels: { k: 'nan' }, value: NaN },
        { labels: { k: 'pos' }, value: Infinity },
        { labels: { k: 'neg' }, value: -Infinity },
      ]),
    ]);
    expect(text).toContain('{k="nan"} NaN\n');
    expect(text).toContain('{k="pos"} +Inf\n');
    expect(text).toContain('{k="neg"} -Inf\n');
    expect(parsePrometheus(text).map((s) => s.value)).toEqual([NaN, Infinity, -Infinity]);
  });

  it('renders fractions and large counts exactly', () => {
    const text = renderPrometheus([gauge([{ value: 0.125 }, { value: 12_345_678_901 }])]);
    expect(text).toContain('quasar_test_value 0.125\n');
    expect(text).toContain('quasar_test_value 12345678901\n');
  });

  it('joins several labels with commas', () => {
    const text = renderPrometheus([gauge([{ labels: { a: '1', b: '2' }, value: 0 }])]);
    expect(text).toContain('quasar_test_value{a="1",b="2"} 0\n');
  });

  it('produces text that a strict parser accepts', () => {
    const text = renderPrometheus([
      gauge([{ labels: { s: 'a"b\\c\nd' }, value: NaN }], 'Help \\ with\nnewline'),
      { name: 'quasar_other_total', help: '', type: 'counter', samples: [{ value: 1 }] },
    ]);
    expect(() => parsePrometheus(text)).not.toThrow();
  });
});
