import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sampler } from '../../src/heartbeat/sampler';
import { EventLoopMonitor } from '../../src/readings/event-loop';
import type { EventLoopReading } from '../../src/readings/event-loop';
import type { HostFacts } from '../../src/readings/host';
import { fixtureRoot, removeRoot, scratchRoot } from '../fixtures/cgroup/roots';
import type { FixtureRoot } from '../fixtures/cgroup/roots';

const KiB = 1024;
const MiB = 1024 * KiB;
const HOST: HostFacts = { hostname: 'test-host', platform: 'linux', osType: 'Linux', cores: 4 };
const LOOP: EventLoopReading = { p50: 1.5, p99: 4, max: 12, utilization: 0.25 };

/** The recorded host's /proc/meminfo, which every fixture but `no-cgroup` carries. */
const HOST_MEMORY = { total: 24684084 * KiB, available: 24231616 * KiB };
/** The recorded host's aggregate /proc/stat line: busy 16300 of 552185 ticks since boot. */
const HOST_CPU_LINE = 'cpu  11154 0 4546 535403 482 0 585 15 0 0';

/** Reports fixed figures instead of sampling the real loop. */
class FixedEventLoop extends EventLoopMonitor {
  override read(): EventLoopReading {
    return { ...LOOP };
  }
}

/** Fails the way a runtime without `perf_hooks` support would. */
class FailingEventLoop extends EventLoopMonitor {
  override read(): EventLoopReading {
    throw new Error('event loop histogram unavailable');
  }
}

const samplerFor = (root: string, host: HostFacts = HOST) =>
  new Sampler(root, host, new FixedEventLoop());
const sampleOf = (name: FixtureRoot, host: HostFacts = HOST) =>
  samplerFor(fixtureRoot(name), host).sample();

function rewrite(root: string, path: string, from: string, to: string): void {
  const file = join(root, path);
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${path} does not contain ${from}`);
  writeFileSync(file, text.replace(from, to));
}

describe('Sampler', () => {
  let clock: number;
  beforeEach(() => {
    clock = 1_000_000;
    jest.spyOn(performance, 'now').mockImplementation(() => clock);
  });
  afterEach(() => jest.restoreAllMocks());

  describe('in a v2 pod limited to 256 MiB and 0.5 CPU', () => {
    it('reports the limit as total memory and the limit minus the working set as available', () => {
      expect(sampleOf('v2-limited-k8s').systemMemory).toEqual({
        total: 256 * MiB,
        available: (256 - 112) * MiB,
      });
    });

    it('reports both limits under container and the quota, rounded up, as cores', () => {
      const sample = sampleOf('v2-limited-k8s');
      expect(sample.container).toEqual({ memoryLimit: 256 * MiB, cpuQuota: 0.5 });
      expect(sample.cores).toBe(1);
    });

    describe('between two samples', () => {
      let root: string;
      beforeEach(() => {
        root = scratchRoot('v2-limited-k8s');
      });
      afterEach(() => removeRoot(root));

      it("measures CPU as a share of the quota from the cgroup's usage", () => {
        const sampler = samplerFor(root);
        sampler.sample();
        rewrite(root, 'sys/fs/cgroup/cpu.stat', 'usage_usec 4200000', 'usage_usec 4700000');
        clock += 2000;
        // 0.5 s of CPU in 2 s, against a quota of 0.5 cores.
        expect(sampler.sample().systemCpuPercent).toBe(50);
      });

      it('caps CPU at 100% of the quota', () => {
        const sampler = samplerFor(root);
        sampler.sample();
        rewrite(root, 'sys/fs/cgroup/cpu.stat', 'usage_usec 4200000', 'usage_usec 6200000');
        clock += 2000;
        expect(sampler.sample().systemCpuPercent).toBe(100);
      });

      it('picks up a resized memory limit once a minute has passed', () => {
        const sampler = samplerFor(root);
        sampler.sample();
        rewrite(root, 'sys/fs/cgroup/memory.max', `${256 * MiB}`, `${512 * MiB}`);
        clock += 30_000;
        expect(sampler.sample().systemMemory?.total).toBe(256 * MiB);
        clock += 31_000;
        expect(sampler.sample().systemMemory).toEqual({
          total: 512 * MiB,
          available: (512 - 112) * MiB,
        });
      });
    });
  });

  describe('in a v2 cgroup without limits', () => {
    it("reports the host's meminfo figures and no container field", () => {
      const sample = sampleOf('v2-unlimited');
      expect(sample.systemMemory).toEqual(HOST_MEMORY);
      expect(sample.container).toBeUndefined();
      expect(sample.cores).toBe(HOST.cores);
    });

    it('measures machine CPU from the proc/stat deltas between two samples', () => {
      const root = scratchRoot('v2-unlimited');
      try {
        const sampler = samplerFor(root);
        // The first sample averages since boot: 16300 busy of 552185 ticks.
        expect(sampler.sample().systemCpuPercent).toBe(2.95);
        rewrite(root, 'proc/stat', HOST_CPU_LINE, 'cpu  11404 0 4596 536103 482 0 585 15 0 0');
        clock += 10_000;
        expect(sampler.sample().systemCpuPercent).toBe(30);
      } finally {
        removeRoot(root);
      }
    });
  });

  describe('in a v2 cgroup without a cgroup namespace', () => {
    it('takes the limits from the parent slice and the working set from the leaf', () => {
      const sample = sampleOf('v2-nested');
      expect(sample.systemMemory).toEqual({ total: 1024 * MiB, available: (1024 - 250) * MiB });
      expect(sample.container).toEqual({ memoryLimit: 1024 * MiB, cpuQuota: 2 });
      expect(sample.cores).toBe(2);
    });

    it("measures machine CPU and reports no quota when the quota is not below the host's cores", () => {
      const sample = sampleOf('v2-nested', { ...HOST, cores: 2 });
      expect(sample.container).toEqual({ memoryLimit: 1024 * MiB });
      expect(sample.cores).toBe(2);
      expect(sample.systemCpuPercent).toBe(2.95);
    });
  });

  describe('in a v1 Docker container limited to 512 MiB and 1.5 CPUs', () => {
    it('reports both limits, and two cores for the quota of 1.5', () => {
      const sample = sampleOf('v1-limited-docker');
      expect(sample.systemMemory).toEqual({ total: 512 * MiB, available: (512 - 80) * MiB });
      expect(sample.container).toEqual({ memoryLimit: 512 * MiB, cpuQuota: 1.5 });
      expect(sample.cores).toBe(2);
    });
  });

  describe('on the recorded v1 host without limits', () => {
    it("reports the host's figures, not the kernel's no-limit value", () => {
      const sample = sampleOf('v1-unlimited');
      expect(sample.systemMemory).toEqual(HOST_MEMORY);
      expect(sample.container).toBeUndefined();
      expect(sample.cores).toBe(HOST.cores);
      expect(sample.systemCpuPercent).toBe(2.95);
    });
  });

  it('reports every reading and no errors when all of them succeed', () => {
    const sample = sampleOf('v2-limited-k8s');
    expect(sample.errors).toEqual([]);
    expect(sample.eventLoop).toEqual(LOOP);
    expect(sample.systemCpuPercent).toEqual(expect.any(Number));
    expect(sample.processCpuPercent).toEqual(expect.any(Number));
    expect(sample.processMemory).toEqual({
      rss: expect.any(Number),
      heapTotal: expect.any(Number),
      heapUsed: expect.any(Number),
    });
    expect(sample.loadavg).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
  });

  it('keeps the other readings and lists reading_failed:event_loop when the event loop read throws', () => {
    const sample = new Sampler(
      fixtureRoot('v2-limited-k8s'),
      HOST,
      new FailingEventLoop(),
    ).sample();
    expect(sample.errors).toEqual(['reading_failed:event_loop']);
    expect(sample.eventLoop).toEqual({});
    expect(sample.systemMemory).toEqual({ total: 256 * MiB, available: (256 - 112) * MiB });
    expect(sample.container).toEqual({ memoryLimit: 256 * MiB, cpuQuota: 0.5 });
    expect(sample.systemCpuPercent).toEqual(expect.any(Number));
    expect(sample.processMemory).toBeDefined();
    expect(sample.loadavg).toHaveLength(3);
  });

  it('reports proc/meminfo as is and no container outside any cgroup', () => {
    const sample = sampleOf('no-cgroup');
    expect(sample.container).toBeUndefined();
    expect(sample.systemMemory).toEqual({ total: 2048000 * KiB, available: 1280000 * KiB });
    expect(sample.cores).toBe(HOST.cores);
    expect(sample.errors).toEqual([]);
  });
});
