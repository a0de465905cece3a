import fc from 'fast-check';
import { formatBytes, formatMs, formatPercent, formatUptime } from '../components/NodeCard/format';
import { formatAge, formatCount } from '../components/QueueSection/format';
import { formatDuration } from '../pages/SlowLog/SlowTable';
import { fuzzParameters } from '../testing/fuzz';
import { EXTREME_NUMBERS } from '../testing/hostileJson';
import { DASH, formatDateTime, formatIsoTime, isShowableTime } from './time';

const FORMATTERS: Record<string, (value: number) => string> = {
  formatBytes,
  formatMs,
  formatPercent,
  formatUptime,
  formatAge,
  formatCount,
  formatDuration,
  formatDateTime,
  formatIsoTime,
};

/** Any double at all: NaN, both infinities, -0, subnormals, and every edge a formatter bounds. */
const anyNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(...EXTREME_NUMBERS, NaN, Infinity, -Infinity),
  fc.integer({ min: -1e6, max: 1e6 })
);

describe.each(Object.entries(FORMATTERS))('%s, for any number', (_name, format) => {
  it('returns a short string and never throws', () => {
    fc.assert(
      fc.property(anyNumber, (value) => {
        const text = format(value);
        expect(typeof text).toBe('string');
        expect(text.length).toBeLessThanOrEqual(40);
      }),
      fuzzParameters()
    );
  });

  it('shows the placeholder for NaN, an infinity or, but for an age, a negative value', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity), fc.double({ max: -1e-9, noNaN: true })),
        (value) => {
          // An age ending in the future (a skewed clock) reads as just now.
          const expected = format === formatAge && Number.isFinite(value) ? '0s' : DASH;
          expect(format(value)).toBe(expected);
        }
      ),
      fuzzParameters()
    );
  });
});

describe('instants', () => {
  it('format exactly the instants Date can show, and the placeholder past them', () => {
    fc.assert(
      fc.property(anyNumber, (ms) => {
        expect(formatIsoTime(ms) !== DASH).toBe(isShowableTime(ms));
        expect(formatDateTime(ms) !== DASH).toBe(isShowableTime(ms));
      }),
      fuzzParameters()
    );
  });
});
