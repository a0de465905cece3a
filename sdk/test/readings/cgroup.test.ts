import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectCgroup, readCgroupLimits, readCgroupUsage } from '../../src/readings/cgroup';
import type { CgroupPaths } from '../../src/readings/cgroup';
import { fixtureRoot, removeRoot, scratchRoot } from '../fixtures/cgroup/roots';
import type { FixtureRoot } from '../fixtures/cgroup/roots';

const RECORDED_ID = '6ee1aeaf7aafc4a60c05dcbab738ba71';
const MiB = 1024 * 1024;

function pathsOf(name: FixtureRoot): CgroupPaths {
  const paths = detectCgroup(fixtureRoot(name));
  if (!paths) throw new Error(`fixture ${name} has no cgroup`);
  return paths;
}

const limitsOf = (name: FixtureRoot) => readCgroupLimits(fixtureRoot(name), pathsOf(name));
const usageOf = (name: FixtureRoot) => readCgroupUsage(fixtureRoot(name), pathsOf(name));

describe('detectCgroup', () => {
  it('resolves the recorded v1 host: memory from its own cgroup up to the mount, cpu and cpuacct at their mounts', () => {
    expect(detectCgroup(fixtureRoot('v1-unlimited'))).toEqual({
      version: 1,
      memoryDirs: [
        `sys/fs/cgroup/memory/process_api/${RECORDED_ID}`,
        'sys/fs/cgroup/memory/process_api',
        'sys/fs/cgroup/memory',
      ],
      cpuDirs: ['sys/fs/cgroup/cpu'],
      cpuUsageDir: 'sys/fs/cgroup/cpuacct',
    });
  });

  it('falls back to the mount root when a v1 container sees its own cgroup there', () => {
    expect(detectCgroup(fixtureRoot('v1-limited-docker'))).toEqual({
      version: 1,
      memoryDirs: ['sys/fs/cgroup/memory'],
      cpuDirs: ['sys/fs/cgroup/cpu,cpuacct'],
      cpuUsageDir: 'sys/fs/cgroup/cpu,cpuacct',
    });
  });

  it('resolves cgroup v2 at the mount root inside a cgroup namespace', () => {
    expect(detectCgroup(fixtureRoot('v2-limited-k8s'))).toEqual({
      version: 2,
      memoryDirs: ['sys/fs/cgroup'],
      cpuDirs: ['sys/fs/cgroup'],
      cpuUsageDir: 'sys/fs/cgroup',
    });
  });

  it('walks cgroup v2 from the leaf up to the root without a cgroup namespace', () => {
    const chain = [
      'sys/fs/cgroup/system.slice/docker-abc.scope',
      'sys/fs/cgroup/system.slice',
      'sys/fs/cgroup',
    ];
    expect(detectCgroup(fixtureRoot('v2-nested'))).toEqual({
      version: 2,
      memoryDirs: chain,
      cpuDirs: chain,
      cpuUsageDir: 'sys/fs/cgroup/system.slice/docker-abc.scope',
    });
  });

  it('returns undefined when the root has no proc/self/cgroup', () => {
    expect(detectCgroup(fixtureRoot('no-cgroup'))).toBeUndefined();
  });

  describe('with proc/self/cgroup but nothing mounted under sys/fs/cgroup', () => {
    let root: string;
    beforeEach(() => {
      root = scratchRoot();
      mkdirSync(join(root, 'proc/self'), { recursive: true });
    });
    afterEach(() => removeRoot(root));

    it('returns undefined for v1 controllers', () => {
      writeFileSync(
        join(root, 'proc/self/cgroup'),
        '4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n',
      );
      expect(detectCgroup(root)).toBeUndefined();
    });

    it('returns undefined for a v2 line without cgroup.controllers', () => {
      writeFileSync(join(root, 'proc/self/cgroup'), '0::/\n');
      expect(detectCgroup(root)).toBeUndefined();
    });
  });
});

describe('readCgroupLimits', () => {
  it('reports no CPU quota on the recorded v1 host, where cfs_quota_us is -1', () => {
    expect(limitsOf('v1-unlimited').cpuQuota).toBeUndefined();
  });

  it("reports no memory limit on the recorded v1 host, whose limit_in_bytes is the kernel's no-limit value", () => {
    expect(limitsOf('v1-unlimited').memoryLimit).toBeUndefined();
  });

  it('reads 512 MiB and 1.5 cores from a v1 Docker container', () => {
    expect(limitsOf('v1-limited-docker')).toEqual({ memoryLimit: 512 * MiB, cpuQuota: 1.5 });
  });

  it('reads 256 MiB and 0.5 cores from a v2 Kubernetes pod', () => {
    expect(limitsOf('v2-limited-k8s')).toEqual({ memoryLimit: 256 * MiB, cpuQuota: 0.5 });
  });

  it('reports no limits when v2 memory.max and cpu.max say max', () => {
    expect(limitsOf('v2-unlimited')).toEqual({ memoryLimit: undefined, cpuQuota: undefined });
  });

  it('takes the tightest limits on the path to the root, here from the parent slice', () => {
    expect(limitsOf('v2-nested')).toEqual({ memoryLimit: 1024 * MiB, cpuQuota: 2 });
  });

  it('keeps the tighter leaf limit when the parent allows more', () => {
    const root = scratchRoot('v2-nested');
    try {
      const leaf = join(root, 'sys/fs/cgroup/system.slice/docker-abc.scope');
      writeFileSync(join(leaf, 'memory.max'), `${512 * MiB}\n`);
      writeFileSync(join(leaf, 'cpu.max'), '150000 100000\n');
      const paths = detectCgroup(root);
      expect(paths && readCgroupLimits(root, paths)).toEqual({
        memoryLimit: 512 * MiB,
        cpuQuota: 1.5,
      });
    } finally {
      removeRoot(root);
    }
  });

  it('reports unparsable memory.max and cpu.max as no limit instead of throwing', () => {
    expect(limitsOf('malformed')).toEqual({ memoryLimit: undefined, cpuQuota: undefined });
  });
});

describe('readCgroupUsage', () => {
  it('subtracts total_inactive_file from v1 usage and turns cpuacct nanoseconds into microseconds', () => {
    expect(usageOf('v1-unlimited')).toEqual({
      memoryWorkingSet: 281681920 - 44642304,
      cpuUsageUs: 175951766279 / 1000,
    });
  });

  it('reads a v1 Docker container at its mount roots', () => {
    expect(usageOf('v1-limited-docker')).toEqual({
      memoryWorkingSet: 100 * MiB - 20 * MiB,
      cpuUsageUs: 8123456,
    });
  });

  it('subtracts inactive_file from v2 memory.current and reads usage_usec from cpu.stat', () => {
    expect(usageOf('v2-limited-k8s')).toEqual({
      memoryWorkingSet: 144 * MiB - 32 * MiB,
      cpuUsageUs: 4200000,
    });
  });

  it('reads usage from the leaf, not from the parent that holds the limits', () => {
    expect(usageOf('v2-nested')).toEqual({
      memoryWorkingSet: 300 * MiB - 50 * MiB,
      cpuUsageUs: 9876543,
    });
  });

  it('counts all of memory.current when memory.stat is missing, and no CPU time without cpu.stat', () => {
    const usage = usageOf('malformed');
    expect(usage.memoryWorkingSet).toBe(50 * MiB);
    expect(usage.cpuUsageUs).toBeUndefined();
  });

  it('never reports a negative working set', () => {
    const root = scratchRoot('v2-limited-k8s');
    try {
      writeFileSync(join(root, 'sys/fs/cgroup/memory.current'), `${16 * MiB}\n`);
      const paths = detectCgroup(root);
      expect(paths && readCgroupUsage(root, paths).memoryWorkingSet).toBe(0);
    } finally {
      removeRoot(root);
    }
  });
});
