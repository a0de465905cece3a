import { Ticker } from '../../src/agent/ticker';

describe('Ticker', () => {
  it('never runs two ticks at once, even when a tick outlasts the interval', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    const ticker = new Ticker(10, async () => {
      concurrent++;
      runs++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await new Promise((r) => setTimeout(r, 35));
      concurrent--;
    });
    await ticker.start();
    const joined = [ticker.runNow(), ticker.runNow(), ticker.runNow()];
    await Promise.all(joined);
    while (runs < 5) await new Promise((r) => setTimeout(r, 5));
    await ticker.stop();
    expect(maxConcurrent).toBe(1);
  });

  it('keeps running after a tick throws', async () => {
    let runs = 0;
    const ticker = new Ticker(5, () => {
      runs++;
      return Promise.reject(new Error('boom'));
    });
    await ticker.start();
    while (runs < 3) await new Promise((r) => setTimeout(r, 2));
    await ticker.stop();
    expect(runs).toBeGreaterThanOrEqual(3);
  });

  it('does not keep the process alive', async () => {
    const ticker = new Ticker(60_000, () => Promise.resolve());
    await ticker.start();
    const timer = (ticker as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
    await ticker.stop();
  });

  it('stops scheduling after stop(), waiting for the tick in progress', async () => {
    let runs = 0;
    let finished = false;
    const ticker = new Ticker(5, async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      finished = true;
    });
    void ticker.start();
    await ticker.stop();
    expect(finished).toBe(true);
    const after = runs;
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toBe(after);
  });
});
