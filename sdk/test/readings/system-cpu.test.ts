import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { CpuInfo } from 'node:os';
import { join } from 'node:path';
import { cpuPercent, parseProcStat, readCpuTimes } from '../../src/readings/system-cpu';
import { fixtureRoot, removeRoot, scratchRoot } from '../fixtures/cgroup/roots';

/** /proc/stat as the kernel prints it: the aggregate line (two spaces after `cpu`), then one per core. */
const PROC_STAT = [
  'cpu  2497 0 1535 400287 416 0 48 13 0 0',
  'cpu0 1249 0 768 200143 208 0 24 7 0 0',
  'cpu1 1248 0 767 200144 208 0 24 6 0 0',
  'intr 123456 0 9 0',
  'ctxt 987654',
  '',
].join('\n');

const core = (user: number, sys: number, idle: number): CpuInfo => ({
  model: 'Test CPU',
  speed: 2400,
  times: { user, nice: 0, sys, idle, irq: 0 },
});

describe('parseProcStat', () => {
  it('sums the aggregate cpu line, counting iowait as idle', () => {
    // busy = user 2497 + system 1535 + softirq 48 + steal 13; idle = 400287 + iowait 416.
    expect(parseProcStat(PROC_STAT)).toEqual({ busy: 4093, total: 404796 });
  });

  it('ignores guest and guest_nice, which the kernel already counts in user and nice', () => {
    const withGuests = PROC_STAT.replace('13 0 0', '13 900 900');
    expect(parseProcStat(withGuests)).toEqual({ busy: 4093, total: 404796 });
  });

  it('reads the cpu line when it is the whole text, without a trailing newline', () => {
    // Kernels 2.6.11–2.6.23 print eight fields, so the last one (steal) is counted.
    expect(parseProcStat('cpu  2497 0 1535 400287 416 0 48 13')).toEqual({
      busy: 4093,
      total: 404796,
    });
  });

  it('returns undefined unless the first line is the aggregate cpu line', () => {
    expect(parseProcStat('cpu0 1249 0 768 200143 208 0 24 7 0 0\n')).toBeUndefined();
    expect(parseProcStat('intr 123456 0 9 0\n')).toBeUndefined();
    expect(parseProcStat('')).toBeUndefined();
  });

  it('returns undefined for fewer than four fields or fields that are not numbers', () => {
    expect(parseProcStat('cpu  2497 0 1535\n')).toBeUndefined();
    expect(parseProcStat('cpu  2497 zero 1535 400287\n')).toBeUndefined();
  });
});

describe('cpuPercent', () => {
  it('reports the busy share of the time between two readings', () => {
    expect(cpuPercent({ busy: 100, total: 1000 }, { busy: 350, total: 2000 })).toBe(25);
  });

  it('reports 0 when no time passed or the counters went backwards', () => {
    expect(cpuPercent({ busy: 100, total: 1000 }, { busy: 100, total: 1000 })).toBe(0);
    expect(cpuPercent({ busy: 100, total: 1000 }, { busy: 50, total: 500 })).toBe(0);
  });

  it('clamps the share to 0–100', () => {
    expect(cpuPercent({ busy: 500, total: 1000 }, { busy: 400, total: 2000 })).toBe(0);
    expect(cpuPercent({ busy: 100, total: 1000 }, { busy: 2100, total: 2000 })).toBe(100);
  });
});

describe('readCpuTimes', () => {
  afterEach(() => jest.restoreAllMocks());

  it('reads proc/stat under the given root', () => {
    // The recorded host's line: cpu  11154 0 4546 535403 482 0 585 15 0 0
    expect(readCpuTimes(fixtureRoot('v1-unlimited'))).toEqual({ busy: 16300, total: 552185 });
  });

  it('falls back to os.cpus() when the root has no proc/stat', () => {
    jest.spyOn(os, 'cpus').mockReturnValue([core(300, 100, 600), core(200, 50, 750)]);
    expect(readCpuTimes(fixtureRoot('no-cgroup'))).toEqual({ busy: 650, total: 2000 });
  });

  it('falls back to os.cpus() when proc/stat cannot be parsed', () => {
    jest.spyOn(os, 'cpus').mockReturnValue([core(300, 100, 600)]);
    const root = scratchRoot();
    try {
      mkdirSync(join(root, 'proc'));
      writeFileSync(join(root, 'proc/stat'), 'not a stat file\n');
      expect(readCpuTimes(root)).toEqual({ busy: 400, total: 1000 });
    } finally {
      removeRoot(root);
    }
  });
});
