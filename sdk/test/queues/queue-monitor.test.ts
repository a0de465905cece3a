/**
 * The queue monitor's isolation rules, with probes that implement the real `QueueProbe`
 * interface but answer on command (no Redis needed: none of these probes reads it).
 */
import { createProbe, QueueMonitor } from '../../src/queues/queue-monitor';
import type { ProbeReading, QueueProbe } from '../../src/queues/types';
import { configErrorOf } from '../support/config-error';

const size = (waiting: number) => ({ waiting, active: 0, failed: 0, delayed: 0 });

/** A probe whose reads resolve, reject or hang as the test decides. */
class ScriptedProbe implements QueueProbe {
  readonly driver = 'scripted';
  reads = 0;
  closed = false;
  private pending: Array<(r: ProbeReading) => void> = [];
  constructor(
    readonly queue: string,
    private readonly behaviour: 'ok' | 'fail' | 'hang' | 'throw',
  ) {}
  read(): Promise<ProbeReading> {
    this.reads++;
    if (this.behaviour === 'throw') throw new Error('synchronous failure');
    if (this.behaviour === 'fail') return Promise.reject(new Error('WRONGTYPE Operation'));
    if (this.behaviour === 'hang') return new Promise((resolve) => this.pending.push(resolve));
    return Promise.resolve({ size: size(this.reads), oldestWaitingAgeMs: 1500 });
  }
  release(): void {
    for (const resolve of this.pending.splice(0)) resolve({ size: size(99) });
  }
  close(): void {
    this.closed = true;
  }
}

/** A probe that always reads the same reading. */
class FixedProbe implements QueueProbe {
  readonly driver = 'fixed';
  constructor(
    readonly queue: string,
    private readonly reading: ProbeReading,
  ) {}
  read(): Promise<ProbeReading> {
    return Promise.resolve(this.reading);
  }
}

describe('QueueMonitor', () => {
  it('reports a failing probe as an error on its own queue while the others report counts', async () => {
    const monitor = new QueueMonitor();
    monitor.add('ok', new ScriptedProbe('ok', 'ok'), false);
    monitor.add('broken', new ScriptedProbe('broken', 'fail'), false);
    monitor.add('thrower', new ScriptedProbe('thrower', 'throw'), false);
    const snapshots = await monitor.snapshot(undefined, 1000);
    const byName = new Map(snapshots.map((s) => [s.name, s]));
    expect(byName.get('ok')).toMatchObject({
      driver: 'scripted',
      size: size(1),
      oldestWaitingAgeMs: 1500,
    });
    expect(byName.get('ok')?.error).toBeUndefined();
    expect(byName.get('broken')).toMatchObject({ size: size(0), error: 'WRONGTYPE Operation' });
    expect(byName.get('thrower')).toMatchObject({ size: size(0), error: 'synchronous failure' });
    for (const s of snapshots) expect(typeof s.observedAt).toBe('number');
  });

  it('reports a probe that misses its deadline as timed out, without waiting for it', async () => {
    const monitor = new QueueMonitor();
    const hung = new ScriptedProbe('slow', 'hang');
    monitor.add('slow', hung, false);
    monitor.add('fast', new ScriptedProbe('fast', 'ok'), false);
    const snapshots = await monitor.snapshot(undefined, 50);
    expect(snapshots.find((s) => s.name === 'slow')?.error).toBe(
      'scripted probe timed out after 50 ms',
    );
    expect(snapshots.find((s) => s.name === 'fast')?.size.waiting).toBe(1);
    hung.release();
  });

  it('does not start a second read of a probe whose first read is still running', async () => {
    const monitor = new QueueMonitor();
    const hung = new ScriptedProbe('slow', 'hang');
    monitor.add('slow', hung, false);
    await monitor.snapshot(undefined, 20);
    const second = await monitor.snapshot(undefined, 20);
    expect(hung.reads).toBe(1);
    expect(second[0]?.error).toBe('previous read still running');
    hung.release();
    await new Promise((resolve) => setImmediate(resolve));
    const third = await monitor.snapshot(undefined, 20);
    expect(hung.reads).toBe(2);
    expect(third[0]?.error).toBe('scripted probe timed out after 20 ms');
    hung.release();
  });

  it('reports a Redis-backed queue as an error while the monitor connection is not ready', async () => {
    const monitor = new QueueMonitor();
    const probe = new ScriptedProbe('jobs', 'ok');
    monitor.add('jobs', probe, true);
    const [snapshot] = await monitor.snapshot(undefined, 100);
    expect(snapshot?.error).toBe('monitor Redis is not configured');
    expect(probe.reads).toBe(0);
  });

  it('says whether a queue is paused only when its probe can tell', async () => {
    const monitor = new QueueMonitor();
    monitor.add('held', new FixedProbe('held', { size: size(4), paused: true }), false);
    monitor.add('running', new FixedProbe('running', { size: size(2), paused: false }), false);
    monitor.add('plain', new FixedProbe('plain', { size: size(1) }), false);
    const byName = new Map((await monitor.snapshot(undefined, 1000)).map((s) => [s.name, s]));
    expect(byName.get('held')).toMatchObject({ size: size(4), paused: true });
    expect(byName.get('running')).toMatchObject({ size: size(2), paused: false });
    expect(byName.get('plain')).not.toHaveProperty('paused');
  });

  it("passes a probe's periods into its snapshot and its warnings to the log, named by queue", async () => {
    const period = { startMs: 0, endMs: 300_000, completed: 2, source: 'horizon' };
    const monitor = new QueueMonitor();
    monitor.add(
      'emails',
      new FixedProbe('emails', { size: size(1), periods: [period], warnings: ['1 dropped'] }),
      false,
    );
    monitor.add('plain', new FixedProbe('plain', { size: size(1), periods: [] }), false);
    const warnings: string[] = [];
    const snapshots = await monitor.snapshot(undefined, 1000, (m) => warnings.push(m));
    expect(snapshots[0]).toMatchObject({ name: 'emails', periods: [period] });
    expect(snapshots[0]).not.toHaveProperty('warnings');
    expect(snapshots[1]).not.toHaveProperty('periods');
    expect(warnings).toEqual(['emails: 1 dropped']);
  });

  it('passes on the closed periods a probe reports, and none where it has none', async () => {
    const periods = [
      { startMs: 60_000, endMs: 120_000, in: 3, completed: 2, failed: 1, source: 'events' },
    ];
    const monitor = new QueueMonitor();
    monitor.add('counted', new FixedProbe('counted', { size: size(1), periods }), false);
    monitor.add('plain', new FixedProbe('plain', { size: size(1) }), false);
    const byName = new Map((await monitor.snapshot(undefined, 1000)).map((s) => [s.name, s]));
    expect(byName.get('counted')?.periods).toEqual(periods);
    expect(byName.get('plain')).not.toHaveProperty('periods');
  });

  it("carries a probe's closed periods into its snapshot, and none where it has none", async () => {
    const periods = [
      {
        startMs: 60_000,
        endMs: 120_000,
        run: { count: 1, sum: 40, counts: [0, 0, 0, 1], sampled: true },
        source: 'sample',
      },
    ];
    const monitor = new QueueMonitor();
    monitor.add('busy', new FixedProbe('busy', { size: size(0), periods }), false);
    monitor.add('idle', new FixedProbe('idle', { size: size(0) }), false);
    const [busy, idle] = await monitor.snapshot(undefined, 1000);
    expect(busy?.periods).toEqual(periods);
    expect(idle).not.toHaveProperty('periods');
  });

  it('replaces a queue registered twice and closes the replaced probe', () => {
    const monitor = new QueueMonitor();
    const first = new ScriptedProbe('jobs', 'ok');
    monitor.add('jobs', first, false);
    monitor.add('jobs', new ScriptedProbe('jobs', 'ok'), false);
    expect(monitor.size).toBe(1);
    expect(first.closed).toBe(true);
  });
});

describe('createProbe', () => {
  it('names an unknown type and lists the known ones', () => {
    const error = configErrorOf(() => createProbe('emails', 'rabbitmq', undefined));
    expect(error.option).toBe('type');
    expect(error.message).toMatch(/unknown type "rabbitmq".*bullmq/);
  });

  it('names an empty queue name', () => {
    expect(configErrorOf(() => createProbe('', 'redis', undefined)).option).toBe('name');
  });

  it('names an option the type does not take', () => {
    const error = configErrorOf(() => createProbe('emails', 'redis', { prefix: 'x' }));
    expect(error.option).toBe('prefix');
    expect(error.message).toMatch(/monitorQueue\("emails", "redis"\): unknown option "prefix"/);
  });

  it('rejects options that are not an object', () => {
    expect(configErrorOf(() => createProbe('emails', 'redis', 'bull:')).option).toBe('options');
  });

  it('builds every 1.0 type without options', () => {
    for (const type of ['redis', 'laravel', 'bull']) {
      expect(createProbe('default', type, undefined).probe.queue).toBe('default');
    }
  });
});
