/**
 * Laravel worker discovery: against the hand-written proc-laravel tree (see its README), and
 * against the real /proc with a live process that looks like `php artisan queue:work`.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workerCommandOf } from '../../src/sidecar/laravel-command';
import { LaravelWorkerScanner } from '../../src/sidecar/laravel-workers';
import { parseStat, statusOf } from '../../src/sidecar/proc-process';
import { eventually } from '../../../testing/redis';
import { procLaravelRoot, spawnFakePhpWorker } from './support';
import type { FakeWorker } from './support';

describe('workerCommandOf', () => {
  it.each([
    [['php', 'artisan', 'queue:work'], 'queue:work'],
    [['/usr/local/bin/php', '/var/www/app/artisan', 'queue:listen', 'redis'], 'queue:listen'],
    [['php8.3', '-d', 'memory_limit=1G', 'artisan', 'horizon:work', 'redis'], 'horizon:work'],
    [['php', 'artisan', '--env=staging', '-v', 'queue:work'], 'queue:work'],
  ])('recognises %j', (argv, command) => {
    expect(workerCommandOf(argv)).toBe(command);
  });

  it.each([
    [['php', 'artisan', 'horizon']],
    [['php', 'artisan', 'horizon:supervisor', 'x']],
    [['php', 'artisan', 'schedule:work']],
    [['php', 'artisan']],
    [['node', 'artisan', 'queue:work']],
    [['docker', 'exec', 'app', 'php', 'artisan', 'queue:work']],
    [['sh', '-c', 'php artisan queue:work']],
    [['php', 'queue:work']],
    [[]],
  ])('ignores %j', (argv) => {
    expect(workerCommandOf(argv)).toBeUndefined();
  });
});

describe('parseStat', () => {
  it('counts fields from the last parenthesis, whatever the command name holds', () => {
    const line = '77 (we (i) rd) S 12 77 77 0 -1 4194560 1 0 0 0 250 50 0 0 20 0 1 0 4200 1 2 3\n';
    expect(parseStat(line)).toEqual({ state: 'S', ppid: 12, cpuTicks: 300, startTicks: 4200 });
  });

  it('returns undefined for a truncated line', () => {
    expect(parseStat('77 (php) S 12')).toBeUndefined();
    expect(parseStat('garbage')).toBeUndefined();
  });

  it('names states as the Go agent does', () => {
    expect(['R', 'S', 'D', 'I', 'Z', 'T', 't', 'X', '?'].map(statusOf)).toEqual([
      'running',
      'sleep',
      'disk-sleep',
      'idle',
      'zombie',
      'stopped',
      'stopped',
      'dead',
      'unknown',
    ]);
  });
});

describe('LaravelWorkerScanner on the proc-laravel tree', () => {
  let root: string;
  let remove: () => void;
  beforeEach(() => ({ root, remove } = procLaravelRoot()));
  afterEach(() => remove());

  it('reports the workers, their roots, memory, CPU since start and state', () => {
    expect(new LaravelWorkerScanner(root).read()).toEqual({
      workerCount: 5,
      roots: ['/var/www/app', '/srv/shop'],
      workers: [
        {
          pid: 4410,
          cmdline: 'php artisan queue:work redis --queue=default',
          memory: 41943040,
          cpu: 0.36,
          status: 'sleep',
        },
        {
          pid: 4411,
          cmdline:
            '/usr/bin/php8.3 -d memory_limit=512M /var/www/app/artisan horizon:work redis --name=default --supervisor=app-server-01-Ab3x:supervisor-1 --queue=default',
          memory: 53248 * 1024,
          cpu: 12.5,
          status: 'running',
        },
        {
          pid: 4420,
          cmdline: 'php /srv/shop/artisan queue:listen --queue=emails',
          memory: 28672 * 1024,
          cpu: 0.0417,
          status: 'sleep',
        },
        {
          pid: 4450,
          cmdline: 'php artisan --env=production queue:work --queue=low',
          memory: 30720 * 1024,
          cpu: 0,
          status: 'stopped',
        },
        {
          pid: 4470,
          cmdline: 'php artisan queue:work --queue=reports',
          memory: 61440 * 1024,
          cpu: 5,
          status: 'disk-sleep',
        },
      ],
    });
  });

  describe('with a changing tree', () => {
    const setStat = (pid: number, utime: number, stime: number, start = 50000) =>
      writeFileSync(
        join(root, 'proc', String(pid), 'stat'),
        `${pid} (php) S 4400 ${pid} ${pid} 0 -1 4194560 1200 0 3 0 ${utime} ${stime} 0 0 20 0 1 0 ${start} 0 0\n`,
      );
    const setUptime = (seconds: number) =>
      writeFileSync(join(root, 'proc', 'uptime'), `${seconds.toFixed(2)} 0.00\n`);
    const cpuOf = (scan: ReturnType<LaravelWorkerScanner['read']>, pid: number) =>
      scan.workers?.find((w) => w.pid === pid)?.cpu;

    it('measures CPU over the interval between two scans', () => {
      const scanner = new LaravelWorkerScanner(root);
      expect(cpuOf(scanner.read(), 4410)).toBe(0.36);
      setUptime(1010);
      setStat(4410, 160, 35);
      // 15 ticks (0.15 s) of CPU in 10 s.
      expect(cpuOf(scanner.read(), 4410)).toBe(1.5);
    });

    it('starts over when a pid is reused by a new process', () => {
      const scanner = new LaravelWorkerScanner(root);
      scanner.read();
      setUptime(1010);
      setStat(4410, 10, 10, 100_000);
      // 20 ticks since its start at 1000 s: 0.2 s in 10 s.
      expect(cpuOf(scanner.read(), 4410)).toBe(2);
    });

    it('reports null lists when no worker runs', () => {
      for (const pid of [4410, 4411, 4420, 4421, 4450, 4470]) {
        rmSync(join(root, 'proc', String(pid)), { recursive: true });
      }
      expect(new LaravelWorkerScanner(root).read()).toEqual({
        workerCount: 0,
        roots: null,
        workers: null,
      });
    });

    it('throws when there is no proc directory under the root', () => {
      rmSync(join(root, 'proc'), { recursive: true });
      expect(() => new LaravelWorkerScanner(root).read()).toThrow(
        `cannot list ${join(root, 'proc')} (ENOENT)`,
      );
    });
  });
});

describe('LaravelWorkerScanner on the real /proc', () => {
  let worker: FakeWorker | undefined;
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  it('finds a live php artisan queue:work process with its pid, root and memory', async () => {
    const fake = spawnFakePhpWorker();
    worker = fake;
    const scanner = new LaravelWorkerScanner('/');
    // Until the child has exec'd, its /proc entry still shows the parent's arguments.
    const found = await eventually(
      () => scanner.read().workers?.find((w) => w.pid === fake.pid),
      10_000,
      'the fake worker in /proc',
    );
    expect(found.cmdline).toBe(
      `${join(fake.appDir, '..', 'bin', 'php')} artisan queue:work redis --queue=default`,
    );
    expect(found.memory).toBeGreaterThan(0);
    expect(found.cpu).toBeGreaterThanOrEqual(0);
    expect(['sleep', 'running']).toContain(found.status);
    expect(scanner.read().roots).toContain(fake.appDir);
  });
});
