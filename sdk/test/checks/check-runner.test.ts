/** CheckRunner against real loopback servers: schedule, no overlap, stop, isolation, replacing. */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { CheckRunner } from '../../src/checks/check-runner';
import * as tcpCheck from '../../src/checks/tcp-check';
import { QuasarConfigError } from '../../src/options/errors';
import type { CheckResult } from '../../src/schema';
import { eventually } from '../../../testing/redis';
import { recordingLogger, silent } from '../slowlog/support';
import { close, closedPort, httpServer } from './support';

describe('CheckRunner', () => {
  let server: HttpServer;
  let base: string;
  let port: number;
  /** Requests per path, and the most served at once. */
  const hits = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const runners: CheckRunner[] = [];

  const runner = (logger = silent): CheckRunner => {
    const r = new CheckRunner(logger);
    runners.push(r);
    return r;
  };
  const hitsOf = (path: string): number => hits.get(path) ?? 0;
  const resultOf = (r: CheckRunner, name: string): CheckResult | undefined =>
    r.results().find((c) => c.name === name);

  beforeAll(async () => {
    const started = await httpServer((req: IncomingMessage, res: ServerResponse) => {
      const path = req.url ?? '/';
      hits.set(path, hitsOf(path) + 1);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // `/held` answers after 300 ms, so runs asked for meanwhile would overlap if allowed.
      setTimeout(
        () => {
          inFlight--;
          res.writeHead(200).end();
        },
        path === '/held' ? 300 : 0,
      );
    });
    server = started.server;
    port = started.port;
    base = `http://127.0.0.1:${port}`;
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    jest.restoreAllMocks();
  });
  afterAll(() => close(server));

  it('reports nothing until started, then the result of each check in registration order', async () => {
    const r = runner();
    r.add('web', { type: 'http', url: `${base}/order` });
    r.add('port', { type: 'tcp', host: '127.0.0.1', port });
    expect(r.results()).toEqual([]);
    r.start();
    const results = await eventually(
      () => (r.results().length === 2 ? r.results() : undefined),
      5000,
      'both checks to report',
    );
    expect(results.map((c) => [c.name, c.type, c.up])).toEqual([
      ['web', 'http', true],
      ['port', 'tcp', true],
    ]);
  });

  it('runs each check again every intervalMs', async () => {
    const r = runner();
    // Most of the interval for a loopback request, so that a busy machine does not time it out.
    r.add('web', { type: 'http', url: `${base}/again`, intervalMs: 1000, timeoutMs: 900 });
    r.start();
    const first = await eventually(() => resultOf(r, 'web'), 5000, 'the first run');
    const later = await eventually(
      () => {
        const now = resultOf(r, 'web');
        return now && now.checkedAt > first.checkedAt ? now : undefined;
      },
      5000,
      'a second run',
    );
    expect(later.up).toBe(true);
    expect(hitsOf('/again')).toBeGreaterThanOrEqual(2);
  });

  it('never runs one check twice at once', async () => {
    const r = runner();
    r.add('held', { type: 'http', url: `${base}/held`, intervalMs: 1000, timeoutMs: 900 });
    r.start();
    await Promise.all([r.runNow(), r.runNow(), r.runNow()]);
    await r.runNow();
    expect(maxInFlight).toBe(1);
    expect(hitsOf('/held')).toBe(2);
  });

  it('stops running checks once stop() resolves', async () => {
    const r = runner();
    r.add('web', { type: 'http', url: `${base}/stopped`, intervalMs: 1000, timeoutMs: 500 });
    r.start();
    await eventually(() => resultOf(r, 'web'), 5000, 'the first run');
    await r.stop();
    const seen = hitsOf('/stopped');
    await expect(
      eventually(() => (hitsOf('/stopped') > seen ? true : undefined), 2500, 'another run'),
    ).rejects.toThrow(/timed out/);
  });

  it('keeps a failing check from affecting another', async () => {
    const r = runner();
    r.add('gone', { type: 'tcp', host: '127.0.0.1', port: await closedPort() });
    r.add('web', { type: 'http', url: `${base}/isolated` });
    r.start();
    await eventually(() => (r.results().length === 2 ? true : undefined), 5000, 'both checks');
    expect(resultOf(r, 'gone')).toMatchObject({ up: false, error: 'ECONNREFUSED' });
    expect(resultOf(r, 'web')).toMatchObject({ up: true, status: 200 });
  });

  it('runs a check added after start() at once', async () => {
    const r = runner();
    r.start();
    r.add('late', { type: 'http', url: `${base}/late` });
    await eventually(() => resultOf(r, 'late'), 5000, 'the late check');
  });

  it('replaces a check of the same name in place, dropping its old result', async () => {
    const r = runner();
    r.add('a', { type: 'http', url: `${base}/first` });
    r.add('b', { type: 'tcp', host: '127.0.0.1', port });
    await r.runNow();
    r.add('a', { type: 'http', url: `${base}/second` });
    expect(r.results().map((c) => c.name)).toEqual(['b']);
    await r.runNow();
    expect(r.results().map((c) => [c.name, c.target])).toEqual([
      ['a', `${base}/second`],
      ['b', `127.0.0.1:${port}`],
    ]);
  });

  it('validates on add(), naming the option', () => {
    const r = runner();
    expect(() => r.add('a', { type: 'tcp', host: 'h', port: 0 })).toThrow(QuasarConfigError);
    expect(() => r.add('', { type: 'tcp', host: 'h', port: 1 })).toThrow(
      expect.objectContaining({ option: 'name' }),
    );
    expect(r.results()).toEqual([]);
  });

  it('reports an unexpected error once through the logger, as a down result', async () => {
    jest.spyOn(tcpCheck, 'runTcpCheck').mockRejectedValue(new Error('bug'));
    const { lines, logger } = recordingLogger();
    const r = runner(logger);
    r.add('db', { type: 'tcp', host: '127.0.0.1', port });
    await r.runNow();
    await r.runNow();
    expect(resultOf(r, 'db')).toMatchObject({ up: false, error: 'bug', type: 'tcp' });
    expect(lines).toEqual(['error check "db" could not run: bug']);
  });
});
