/** When a cycle exports, and what: owned services once an interval, acquired ones at once. */
import { ExportSchedule } from '../../src/cycle/export-schedule';

class ManualClock {
  nowMs = 0;
  readonly now = () => this.nowMs;
}

describe('ExportSchedule', () => {
  it('exports everything at the first cycle, then once per interval', () => {
    const clock = new ManualClock();
    const schedule = new ExportSchedule(10_000, clock.now);
    const first = schedule.due();
    expect(first).toEqual({ all: true });
    schedule.started(first!);
    clock.nowMs = 9_999;
    expect(schedule.due()).toBeUndefined();
    clock.nowMs = 10_000;
    expect(schedule.due()).toEqual({ all: true });
  });

  it('exports when forced, whatever the interval', () => {
    const clock = new ManualClock();
    const schedule = new ExportSchedule(10_000, clock.now);
    schedule.started({ all: true });
    expect(schedule.due(true)).toEqual({ all: true });
  });

  it('exports services just acquired at the next cycle, alone, without opening a new interval', () => {
    const clock = new ManualClock();
    const schedule = new ExportSchedule(10_000, clock.now);
    schedule.started({ all: true });
    clock.nowMs = 3_000;
    schedule.acquired(['billing', 'search']);
    const scope = schedule.due();
    expect(scope).toEqual({ all: false, services: new Set(['billing', 'search']) });
    schedule.started(scope!);
    expect(schedule.due()).toBeUndefined();
    // The interval still runs from the last full export.
    clock.nowMs = 10_000;
    expect(schedule.due()).toEqual({ all: true });
  });

  it('keeps acquired services waiting while an export could not start, and drops them once a full one does', () => {
    const clock = new ManualClock();
    const schedule = new ExportSchedule(10_000, clock.now);
    schedule.started({ all: true });
    schedule.acquired(['billing']);
    // The cycle found an export in flight and started nothing: still due next cycle.
    expect(schedule.due()).toEqual({ all: false, services: new Set(['billing']) });
    expect(schedule.due()).toEqual({ all: false, services: new Set(['billing']) });
    clock.nowMs = 10_000;
    schedule.started(schedule.due()!);
    expect(schedule.due()).toBeUndefined();
  });
});
