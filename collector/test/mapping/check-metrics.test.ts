import { QuasarKeys } from '@gravito/quasar/schema';
import type { CheckResult } from '@gravito/quasar/schema';
import { CheckErrorCounts, checkMetrics } from '../../src/mapping/check-metrics';
import type { MetricData, NumberPoint } from '../../src/otlp/metric-batch';

const NODE = QuasarKeys.node('checkout', 'web-1');
const T0 = 1_767_600_000_000;

const http = (overrides: Partial<CheckResult> = {}): CheckResult => ({
  name: 'home',
  type: 'http',
  target: 'https://shop.example/health',
  up: true,
  latencyMs: 41.6,
  status: 200,
  checkedAt: T0,
  ...overrides,
});

const tcp = (overrides: Partial<CheckResult> = {}): CheckResult => ({
  name: 'db',
  type: 'tcp',
  target: 'db.internal:5432',
  up: true,
  latencyMs: 3.2,
  checkedAt: T0,
  ...overrides,
});

/** The points of a metric, each with the times it is exported with (its own, or the metric's). */
function points(metrics: MetricData[], name: string): NumberPoint[] {
  const found = metrics.find((m) => m.descriptor.name === name) as
    { points: NumberPoint[]; timeMs?: number; startTimeMs?: number } | undefined;
  return (found?.points ?? []).map((p) => ({
    ...p,
    timeMs: p.timeMs ?? found?.timeMs,
    startTimeMs: p.startTimeMs ?? found?.startTimeMs,
  }));
}

function statusClasses(metrics: MetricData[]): Record<string, number> {
  return Object.fromEntries(
    points(metrics, 'httpcheck.status').map((p) => [
      String(p.attributes?.['http.status_class']),
      p.value,
    ]),
  );
}

describe('checkMetrics', () => {
  let errors: CheckErrorCounts;

  beforeEach(() => {
    errors = new CheckErrorCounts();
  });

  it('reports httpcheck.status over the five status classes, 1 on the matching one', () => {
    const metrics = checkMetrics(NODE, [http()], errors);
    expect(statusClasses(metrics)).toEqual({ '1xx': 0, '2xx': 1, '3xx': 0, '4xx': 0, '5xx': 0 });
    for (const p of points(metrics, 'httpcheck.status')) {
      expect(p.attributes).toMatchObject({
        'http.url': 'https://shop.example/health',
        'http.status_code': 200,
        'http.method': 'GET',
        'quasar.check.name': 'home',
      });
      expect(p.timeMs).toBe(T0);
    }
  });

  it('labels the status with the method the check used', () => {
    const metrics = checkMetrics(NODE, [http({ method: 'HEAD' })], errors);
    for (const p of points(metrics, 'httpcheck.status')) {
      expect(p.attributes?.['http.method']).toBe('HEAD');
    }
  });

  it('marks the class of a failing status, as the httpcheck receiver does', () => {
    const metrics = checkMetrics(
      NODE,
      [http({ up: false, status: 503, error: 'status 503' })],
      errors,
    );
    expect(statusClasses(metrics)).toEqual({ '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 1 });
  });

  it('reports no status without a response', () => {
    const refused = http({ up: false, status: undefined, error: 'ECONNREFUSED' });
    const metrics = checkMetrics(NODE, [refused], errors);
    expect(points(metrics, 'httpcheck.status')).toEqual([]);
    expect(points(metrics, 'httpcheck.duration')).toHaveLength(1);
  });

  it('reports the duration in whole milliseconds', () => {
    expect(points(checkMetrics(NODE, [http()], errors), 'httpcheck.duration')[0]?.value).toBe(42);
  });

  it('reports the certificate lifetime in seconds', () => {
    const metrics = checkMetrics(NODE, [http({ certDaysLeft: 30 })], errors);
    expect(points(metrics, 'httpcheck.tls.cert_remaining')[0]?.value).toBe(30 * 86_400);
    expect(points(checkMetrics(NODE, [http()], errors), 'httpcheck.tls.cert_remaining')).toEqual(
      [],
    );
  });

  it('counts an error once per distinct run, however often the beat is read', () => {
    const failing = (checkedAt: number) =>
      http({ up: false, status: 503, error: 'status 503', checkedAt });
    checkMetrics(NODE, [failing(T0)], errors);
    checkMetrics(NODE, [failing(T0)], errors);
    const metrics = checkMetrics(NODE, [failing(T0 + 10_000)], errors);
    const [point] = points(metrics, 'httpcheck.error');
    expect(point?.value).toBe(2);
    expect(point?.startTimeMs).toBe(T0);
    expect(point?.attributes).toMatchObject({
      'error.message': 'status 503',
      'quasar.check.name': 'home',
    });
  });

  it('keeps the error count after the check recovers', () => {
    checkMetrics(NODE, [http({ up: false, error: 'timeout' })], errors);
    const metrics = checkMetrics(NODE, [http({ checkedAt: T0 + 10_000 })], errors);
    expect(points(metrics, 'httpcheck.error')[0]?.value).toBe(1);
  });

  it('counts errors per node and per message', () => {
    const other = QuasarKeys.node('checkout', 'web-2');
    checkMetrics(NODE, [http({ error: 'a' })], errors);
    checkMetrics(other, [http({ error: 'a' })], errors);
    const metrics = checkMetrics(NODE, [http({ error: 'b', checkedAt: T0 + 1 })], errors);
    const byMessage = Object.fromEntries(
      points(metrics, 'httpcheck.error').map((p) => [
        String(p.attributes?.['error.message']),
        p.value,
      ]),
    );
    expect(byMessage).toEqual({ a: 1, b: 1 });
  });

  it('forgets the counts of a forgotten node', () => {
    checkMetrics(NODE, [http({ error: 'a' })], errors);
    errors.forget(NODE);
    expect(errors.of(NODE, http())).toEqual([]);
  });

  it('reports tcpcheck status, duration and errors', () => {
    const metrics = checkMetrics(
      NODE,
      [tcp(), tcp({ name: 'cache', target: 'cache:6379', up: false, error: 'refused' })],
      errors,
    );
    const status = points(metrics, 'tcpcheck.status');
    expect(status.map((p) => [p.attributes?.['tcpcheck.endpoint'], p.value])).toEqual([
      ['db.internal:5432', 1],
      ['cache:6379', 0],
    ]);
    expect(points(metrics, 'tcpcheck.duration').map((p) => p.value)).toEqual([3, 3]);
    const [error] = points(metrics, 'tcpcheck.error');
    expect(error).toMatchObject({
      value: 1,
      attributes: { 'tcpcheck.endpoint': 'cache:6379', 'error.message': 'refused' },
    });
  });

  it('merges the points of several checks into one metric per name', () => {
    const metrics = checkMetrics(
      NODE,
      [http(), http({ name: 'api', target: 'https://api.example' })],
      errors,
    );
    const counts = metrics.map((m) => m.descriptor.name);
    expect(new Set(counts).size).toBe(counts.length);
    expect(points(metrics, 'httpcheck.duration')).toHaveLength(2);
    expect(points(metrics, 'httpcheck.status')).toHaveLength(10);
  });
});
