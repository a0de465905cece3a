/**
 * The shipped Prometheus rules pass their unit tests (`promtool test rules`, input series that
 * fire each alert and that do not), and those tests are sharp: a copy of the rules with one
 * deliberate fault fails them.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testPrometheusRules } from '../../testing/prometheus';
import { describeWithStack } from '../../testing/stack';

const RULES_DIR = resolve(__dirname, '../../provisioning/prometheus/rules');
const RULES_FILE = 'quasar.rules.yml';

/** The unit-test files under `dir/tests`. */
function testFiles(dir: string): string[] {
  return readdirSync(join(dir, 'tests'))
    .filter((name) => name.endsWith('.test.yml'))
    .sort()
    .map((name) => join(dir, 'tests', name));
}

interface Fault {
  what: string;
  from: string;
  to: string;
  /** What promtool's output names. */
  reported: string;
}

const FAULTS: Fault[] = [
  {
    what: 'the check alert waits for a second failure',
    from: 'expr: quasar:check_errors:increase5m > 0\n        labels:\n          severity: warning',
    to: 'expr: quasar:check_errors:increase5m > 1\n        labels:\n          severity: warning',
    reported: 'alertname: QuasarCheckFailing',
  },
  {
    what: 'a new error counter’s first failures are not counted',
    from: [
      '              (',
      '                  {__name__=~"httpcheck_error_total|tcpcheck_error_total"}',
      '                unless',
      '                  {__name__=~"httpcheck_error_total|tcpcheck_error_total"} offset 5m',
      '              ) * 1',
      '            or',
      '',
    ].join('\n'),
    to: '',
    reported: 'alertname: QuasarCheckFailing',
  },
  {
    what: 'a node is reported down at its first 0 (its `for` dropped)',
    from: 'expr: quasar_node_up == 0\n        for: 2m\n',
    to: 'expr: quasar_node_up == 0\n',
    reported: 'alertname: QuasarNodeDown',
  },
  {
    what: 'the stuck-queue alert ignores the workers’ counters',
    from: 'quasar:queue_jobs_finished:rate5m == 0',
    to: 'quasar:queue_jobs_finished:rate5m < 0',
    reported: 'alertname: QuasarQueueStuck',
  },
  {
    what: 'the failure ratio counts retried attempts as finished jobs',
    from: 'quasar_job_outcome=~"completed|failed"',
    to: 'quasar_job_outcome=~"completed|failed|retried"',
    reported: 'quasar:queue_failure_ratio:rate5m',
  },
  {
    what: 'an expression does not parse',
    from: 'expr: quasar_node_up == 0',
    to: 'expr: quasar_node_up ==',
    reported: 'parse error',
  },
];

describeWithStack(['promtool'])('provisioning/prometheus/rules (promtool test rules)', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'quasar-alert-rules-'));
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('passes its unit tests, every test file', () => {
    const files = testFiles(RULES_DIR);
    expect(files.length).toBeGreaterThanOrEqual(4);
    const result = testPrometheusRules(files);
    expect(result.output).not.toContain('FAILED');
    expect(result.output.match(/SUCCESS/g)).toHaveLength(files.length);
    expect(result.ok).toBe(true);
  });

  it.each(FAULTS)('fails them when $what', ({ what, from, to, reported }) => {
    const dir = join(scratch, what.replace(/\W+/g, '-'));
    cpSync(RULES_DIR, dir, { recursive: true });
    const file = join(dir, RULES_FILE);
    const rules = readFileSync(file, 'utf8');
    // The fault must land exactly once, or this case would test nothing.
    expect(rules.split(from)).toHaveLength(2);
    writeFileSync(file, rules.replace(from, to));
    const result = testPrometheusRules(testFiles(dir));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('FAILED');
    expect(result.output).toContain(reported);
  });
});
