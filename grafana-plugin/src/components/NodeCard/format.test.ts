import { formatBytes, formatMs, formatPercent, formatUptime, percentOf } from './format';
import { DEFAULT_THRESHOLDS, usageLevel } from './types';

describe('formatUptime', () => {
  it.each([
    [3 * 86400 + 4 * 3600 + 59 * 60, '3d 4h'],
    [2 * 86400 + 30, '2d'],
    [5 * 3600 + 12 * 60 + 9, '5h 12m'],
    [3605.2, '1h'],
    [12 * 60 + 30, '12m'],
    [45.9, '45s'],
    [0, '0s'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatUptime(seconds)).toBe(text);
  });

  it('shows a dash for an unknown or impossible uptime', () => {
    expect(formatUptime(null)).toBe('—');
    expect(formatUptime(-1)).toBe('—');
    expect(formatUptime(Infinity)).toBe('—');
  });
});

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(41943040)).toBe('40 MiB');
    expect(formatBytes(312475648)).toBe('298 MiB');
    expect(formatBytes(2147483648)).toBe('2 GiB');
    expect(formatBytes(null)).toBe('—');
  });
});

describe('formatPercent', () => {
  it('keeps at most one decimal and does not cap', () => {
    expect(formatPercent(12.5)).toBe('12.5%');
    expect(formatPercent(37)).toBe('37%');
    expect(formatPercent(4.17)).toBe('4.2%');
    expect(formatPercent(143.5)).toBe('143.5%');
    expect(formatPercent(null)).toBe('—');
  });
});

describe('formatMs', () => {
  it('shows milliseconds, then seconds', () => {
    expect(formatMs(48.7)).toBe('48.7 ms');
    expect(formatMs(0.42)).toBe('0.4 ms');
    expect(formatMs(1234)).toBe('1.2 s');
    expect(formatMs(null)).toBe('—');
  });
});

describe('percentOf and usageLevel', () => {
  it('computes a share and compares it with the thresholds', () => {
    expect(percentOf(25, 200)).toBe(12.5);
    expect(percentOf(1, 0)).toBeNull();
    expect(percentOf(null, 10)).toBeNull();
    expect(usageLevel(69.9, DEFAULT_THRESHOLDS)).toBe('ok');
    expect(usageLevel(70, DEFAULT_THRESHOLDS)).toBe('warning');
    expect(usageLevel(95, DEFAULT_THRESHOLDS)).toBe('critical');
    expect(usageLevel(50, { warning: 40, critical: 60 })).toBe('warning');
    expect(usageLevel(null, DEFAULT_THRESHOLDS)).toBe('ok');
  });
});
