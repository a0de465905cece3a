import {
  CycleHealth,
  FAILURE_LOG_INTERVAL_MS,
  UNREADY_AFTER_FAILURES,
} from '../../src/cycle/cycle-health';

class Lines {
  readonly lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  info(fields: Record<string, unknown>, message: string) {
    this.lines.push({ level: 'info', message, fields });
  }
  error(fields: Record<string, unknown>, message: string) {
    this.lines.push({ level: 'error', message, fields });
  }
}

describe('CycleHealth', () => {
  let clock: number;
  let logger: Lines;
  let health: CycleHealth;

  beforeEach(() => {
    clock = 0;
    logger = new Lines();
    health = new CycleHealth(logger, () => clock);
  });

  it('logs an outage once when it starts and once when it ends', () => {
    for (let i = 0; i < 10; i++) health.failed('ECONNREFUSED');
    health.succeeded();
    expect(logger.lines.map((l) => l.message)).toEqual([
      'cycle failed; retrying every cycle',
      'cycles resumed',
    ]);
    expect(logger.lines[1]?.fields).toEqual({ failedCycles: 10 });
  });

  it('writes two lines a minute, not thirty, for a loop failing every other cycle', () => {
    for (let t = 0; t < 60_000; t += 2000) {
      clock = t;
      if ((t / 2000) % 2 === 0) health.failed('NOPERM');
      else health.succeeded();
    }
    expect(logger.lines).toHaveLength(2);
    clock = FAILURE_LOG_INTERVAL_MS + 2000;
    health.failed('NOPERM');
    expect(logger.lines[2]?.fields).toEqual({ err: 'NOPERM', failedCyclesSinceLastLine: 14 });
  });

  it(`is ready until ${UNREADY_AFTER_FAILURES} cycles in a row fail, and again after a good one`, () => {
    health.succeeded();
    for (let i = 1; i < UNREADY_AFTER_FAILURES; i++) health.failed('x');
    expect(health.readiness().ready).toBe(true);
    health.failed('WRONGTYPE');
    expect(health.readiness()).toMatchObject({
      ready: false,
      failingCycles: UNREADY_AFTER_FAILURES,
      lastError: 'WRONGTYPE',
    });
    health.succeeded();
    expect(health.readiness()).toMatchObject({ ready: true, failingCycles: 0 });
  });
});
