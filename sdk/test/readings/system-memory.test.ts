import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseMeminfo, readSystemMemory } from '../../src/readings/system-memory';
import { fixtureRoot, removeRoot, scratchRoot } from '../fixtures/cgroup/roots';

const KiB = 1024;
const meminfoOf = (name: 'v1-unlimited' | 'no-cgroup') =>
  readFileSync(join(fixtureRoot(name), 'proc/meminfo'), 'utf8');

describe('parseMeminfo', () => {
  it('reads MemTotal and MemAvailable, in bytes, from a recorded /proc/meminfo', () => {
    expect(parseMeminfo(meminfoOf('v1-unlimited'))).toEqual({
      total: 24684084 * KiB,
      available: 24231616 * KiB,
    });
  });

  it('falls back to MemFree + Cached on kernels older than 3.14, which lack MemAvailable', () => {
    expect(parseMeminfo(meminfoOf('no-cgroup'))).toEqual({
      total: 2048000 * KiB,
      available: (512000 + 768000) * KiB,
    });
  });

  it('never reports more available than total', () => {
    expect(parseMeminfo('MemTotal: 1000 kB\nMemAvailable: 2000 kB\n')).toEqual({
      total: 1000 * KiB,
      available: 1000 * KiB,
    });
  });

  it('returns undefined without MemTotal', () => {
    expect(parseMeminfo('MemFree: 512000 kB\nCached: 768000 kB\n')).toBeUndefined();
    expect(parseMeminfo('')).toBeUndefined();
  });
});

describe('readSystemMemory', () => {
  let root: string;
  beforeEach(() => {
    root = scratchRoot();
    jest.spyOn(os, 'totalmem').mockReturnValue(8 * 1024 * 1024 * KiB);
    jest.spyOn(os, 'freemem').mockReturnValue(3 * 1024 * 1024 * KiB);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    removeRoot(root);
  });

  const fromOs = { total: 8 * 1024 * 1024 * KiB, available: 3 * 1024 * 1024 * KiB };

  it('reads proc/meminfo under the given root', () => {
    expect(readSystemMemory(fixtureRoot('no-cgroup'))).toEqual({
      total: 2048000 * KiB,
      available: 1280000 * KiB,
    });
  });

  it('falls back to os.totalmem() and os.freemem() when the root has no proc/meminfo', () => {
    expect(readSystemMemory(root)).toEqual(fromOs);
  });

  it('falls back to os figures when proc/meminfo cannot be read', () => {
    mkdirSync(join(root, 'proc/meminfo'), { recursive: true });
    expect(readSystemMemory(root)).toEqual(fromOs);
  });

  it('falls back to os figures when proc/meminfo has no MemTotal', () => {
    mkdirSync(join(root, 'proc'));
    writeFileSync(join(root, 'proc/meminfo'), 'MemFree: 512000 kB\n');
    expect(readSystemMemory(root)).toEqual(fromOs);
  });
});
