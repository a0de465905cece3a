/**
 * Where the failure groups of a snapshot come from: the probe's own bounded read, or else the
 * failed sample, grouped by the monitor. Probes implement the real `QueueProbe` interface.
 */
import { QueueMonitor } from '../../src/queues/queue-monitor';
import type { ProbeReading, QueueProbe } from '../../src/queues/types';

const size = { waiting: 0, active: 0, failed: 3, delayed: 0 };

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

async function snapshotOf(reading: ProbeReading) {
  const monitor = new QueueMonitor();
  monitor.add('q', new FixedProbe('q', reading), false);
  const [snapshot] = await monitor.snapshot(undefined, 1000);
  return snapshot;
}

describe('QueueMonitor failure groups', () => {
  it('groups the failed sample of a probe that reads no more than the sample', async () => {
    const snapshot = await snapshotOf({
      size,
      failedSample: [
        { id: '3', failedAt: 30, reason: 'Lock wait timeout on row 17' },
        { id: '2', failedAt: 20, reason: 'Mail to "a@b.c" bounced' },
        { id: '1', failedAt: 10, reason: 'Lock wait timeout on row 4' },
      ],
    });
    expect(snapshot?.failureGroups).toMatchObject({ others: 0, scanned: 3 });
    expect(snapshot?.failureGroups?.groups).toMatchObject([
      { message: 'Lock wait timeout on row <n>', count: 2, firstSeen: 10, lastSeen: 30 },
      { message: 'Mail to <str> bounced', count: 1, example: { id: '2' } },
    ]);
  });

  it("keeps the probe's own groups, read from more than the sample", async () => {
    const failureGroups = { groups: [], others: 0, scanned: 100 };
    const snapshot = await snapshotOf({ size, failedSample: [{ id: '1' }], failureGroups });
    expect(snapshot?.failureGroups).toBe(failureGroups);
  });

  it('leaves the field out when there is nothing to group', async () => {
    expect(await snapshotOf({ size, failedSample: [] })).not.toHaveProperty('failureGroups');
    expect(await snapshotOf({ size })).not.toHaveProperty('failureGroups');
  });
});
