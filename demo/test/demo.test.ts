/**
 * `npm run demo` end to end, as a newcomer runs it: the built demo as its own process, with its
 * own private redis-server, the collector, the demo services and the Pulse page. Chromium opens
 * the page, a failed job of the real BullMQ worker is retried through it, and Ctrl-C (SIGINT)
 * must leave no process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import type { Browser } from 'playwright-core';
import { testIds } from 'gravito-quasar-app/src/components/testIds';
import { describeWithChromium, launchChromium } from '../../testing/chromium';
import { describeUnless } from '../../testing/gate';
import { hasRedisServer, freePort } from '../../testing/redis-server';
import { bullmqConnection, eventually } from '../../testing/redis';
import { describeWithStack, otelcolBinary } from '../../testing/stack';

const MAIN = join(__dirname, '..', 'dist', 'run', 'main.js');
const SHIPPED_RULES = join(
  __dirname,
  '..',
  '..',
  'provisioning',
  'prometheus',
  'rules',
  'quasar.rules.yml',
);
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

interface Demo {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startDemo(env: Record<string, string | undefined>): Demo {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...process.env, ...env })) {
    if (value !== undefined) merged[name] = value;
  }
  const child = spawn(process.execPath, [MAIN], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': the demo's last lines may still be in the pipes when 'exit' comes.
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return { child, output: () => output, exited };
}

/** Every `(pid N)` the demo announced. */
function announcedPids(output: string): number[] {
  return [...output.matchAll(/\(.*?pid (\d+)\)/g)].map((m) => Number(m[1]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  /** RFC 3339. */
  activeAt: string;
}

/** Pending and firing alerts, from Prometheus's `/api/v1/alerts`. */
async function alerts(prometheus: string): Promise<PromAlert[]> {
  const response = await fetch(`${prometheus}/api/v1/alerts`);
  const body = (await response.json()) as { data?: { alerts?: PromAlert[] } };
  return body.data?.alerts ?? [];
}

/** Series the alert rules read that the demo produces (no TLS, tcp checks or replicas). */
const DEMO_RULE_SERIES = [
  'quasar_node_up',
  'quasar_node_heartbeat_age_seconds',
  'quasar_queue_jobs',
  'quasar_queue_oldest_waiting_age_seconds',
  'httpcheck_error_total',
  'quasar_slow_duration_seconds_count',
];

/** Every metric name Prometheus holds. */
async function metricNames(prometheus: string): Promise<string[]> {
  const response = await fetch(`${prometheus}/api/v1/label/__name__/values`);
  const body = (await response.json()) as { data?: string[] };
  return body.data ?? [];
}

interface PromRuleGroup {
  file: string;
  rules: Array<{ name: string; health: string; lastError?: string }>;
}

/** The rule groups Prometheus loaded, from `/api/v1/rules`. */
async function ruleGroups(prometheus: string): Promise<PromRuleGroup[]> {
  const response = await fetch(`${prometheus}/api/v1/rules`);
  const body = (await response.json()) as { data?: { groups?: PromRuleGroup[] } };
  return body.data?.groups ?? [];
}

const describeDemo = hasRedisServer()
  ? describeWithChromium()
  : describeUnless(
      'redis-server is not on the PATH: install it with `apt-get install -y redis-server`',
    );

describeDemo('npm run demo', () => {
  let browser: Browser;
  let demo: Demo;
  let port: number;

  beforeAll(async () => {
    browser = await launchChromium();
    port = await freePort();
    demo = startDemo({
      DEMO_PORT: String(port),
      REDIS_URL: undefined,
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (demo && demo.child.exitCode === null) {
      demo.child.kill('SIGKILL');
      for (const pid of announcedPids(demo.output())) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('is ready with live nodes and queues within 60 seconds', async () => {
    const started = Date.now();
    await eventually(
      () => (demo.output().includes('ready in') ? true : undefined),
      60_000,
      `the demo to be ready:\n${demo.output()}`,
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(demo.output()).toMatch(/API token [0-9a-f]{36}/);
    expect(demo.output()).toContain(`Pulse page at http://localhost:${port}`);
    expect(announcedPids(demo.output()).length).toBeGreaterThanOrEqual(6);
    // Without the printed sign-in URL, the page is read-only.
    const page = await fetch(`http://localhost:${port}/a/gravito-quasar-app`);
    expect(await page.text()).toContain('"role":"Viewer"');
  });

  it('shows the demo services, their queues and the sidecar in Chromium; a failed job is retried through the page', async () => {
    const signIn = new RegExp(`open (http://localhost:${port}/\\?token=\\S+) to sign in as Editor`);
    const url = signIn.exec(demo.output())?.[1];
    expect(url).toBeDefined();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(url!);
    expect(new URL(page.url()).search).toBe('');
    for (const service of ['demo-api', 'demo-laravel', 'demo-worker']) {
      await page
        .locator(`[data-testid="${testIds.pulse.group}"][data-service="${service}"]`)
        .waitFor({ timeout: 30_000 });
    }
    const queueNames = async () =>
      page
        .getByTestId(testIds.queueSection.queue)
        .evaluateAll((all) => all.map((q) => q.getAttribute('data-queue')));
    await eventually(
      async () => {
        const names = await queueNames();
        return ['emails', 'default', 'mail'].every((n) => names.includes(n)) ? true : undefined;
      },
      30_000,
      'the three queues',
    );
    // Each queue's sparkline of waiting jobs, from the collector's history.
    for (const name of ['emails', 'default', 'mail']) {
      const line = page
        .locator(`[data-testid="${testIds.queueSection.queue}"][data-queue="${name}"]`)
        .locator(`[data-testid="${testIds.queueSection.sparkline}"][data-kind="waiting"]`)
        .first();
      await line.waitFor({ timeout: 30_000 });
      expect(await line.getAttribute('aria-label')).toMatch(/^waiting: \d+ → \d+ over /);
    }
    const laravel = page
      .locator(`[data-testid="${testIds.nodeCard.card}"]`)
      .filter({ hasText: 'laravel-1' });
    expect(
      await laravel.getByTestId(testIds.nodeCard.runtimeIcon).getAttribute('aria-label'),
    ).toMatch(/php/i);

    const emails = page
      .locator(`[data-testid="${testIds.pulse.group}"][data-service="demo-worker"]`)
      .locator(`[data-testid="${testIds.queueSection.queue}"][data-queue="emails"]`);
    // The failures come grouped by error first; the jobs themselves open on demand.
    const toggle = emails.getByTestId(testIds.queueSection.failedJobsToggle);
    await toggle.waitFor({ timeout: 45_000 });
    await toggle.click();
    const newest = emails.getByTestId(testIds.queueSection.failedJob).first();
    await newest.waitFor({ timeout: 45_000 });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'demo.png') });

    // The row of one job, pinned by its id: the demo's worker keeps failing jobs, and each
    // snapshot puts the newest failure first, so `first()` may name another job by the click.
    const id = (await newest.getAttribute('data-job-id'))!;
    const row = emails
      .getByTestId(testIds.queueSection.failedJob)
      .and(page.locator(`[data-job-id="${id}"]`));
    const redisUrl = /Redis at (redis:\/\/\S+)/.exec(demo.output())![1]!;
    const queue = new Queue('emails', { connection: bullmqConnection(redisUrl) });
    try {
      const before = await Job.fromId(queue, id);
      expect(await before?.getState()).toBe('failed');
      const failedAt = before!.finishedOn!;
      await row.getByTestId(testIds.queueSection.retry).click();
      const dialog = page.getByRole('dialog');
      expect(await dialog.textContent()).toContain(`Retry job ${id} of queue emails`);
      await dialog.getByRole('button', { name: 'Retry', exact: true }).click();
      await page.getByRole('status').getByText('retried 1 job').waitFor({ timeout: 20_000 });
      // Retried: BullMQ moved it out of failed; the demo's worker may already have run it again.
      await eventually(
        async () => {
          const job = await Job.fromId(queue, id);
          const state = await job?.getState();
          return state !== 'failed' || (job?.finishedOn ?? 0) > failedAt ? true : undefined;
        },
        20_000,
        `job ${id} to leave the failed set`,
      );
    } finally {
      await queue.close();
      await page.close();
    }
  });

  it('stops on Ctrl-C (SIGINT) with exit code 0 and no process left', async () => {
    const pids = announcedPids(demo.output());
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toContain('quasar-demo: stopped');
    expect(pids.filter(alive)).toEqual([]);
  });
});

describe('npm run demo without Redis', () => {
  it('says what to install and exits non-zero', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'quasar-demo-path-'));
    try {
      const demo = startDemo({ PATH: empty, REDIS_URL: undefined });
      expect(await demo.exited).toBe(1);
      expect(demo.output()).toContain('redis-server is not on the PATH');
      expect(demo.output()).toContain('apt-get install -y redis-server');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describeWithStack(['otelcol', 'prometheus'])(
  'npm run demo with otelcol and prometheus on the PATH',
  () => {
    it('wires them: the collector exports to otelcol, Prometheus has the nodes, and the API’s outage fires the shipped check alert', async () => {
      const bin = mkdtempSync(join(tmpdir(), 'quasar-demo-bin-'));
      symlinkSync(otelcolBinary(), join(bin, 'otelcol'));
      const demo = startDemo({
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        DEMO_PORT: String(await freePort()),
        REDIS_URL: undefined,
        OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
        // Outages longer than an export interval (10 s) plus a check interval (2 s), so the
        // bridge's export sees a failed run of every one, however late a loaded machine runs
        // its timers; the demo's own 8 s a minute may fall between two exports.
        DEMO_OUTAGE_MS: '15000',
        DEMO_OUTAGE_EVERY_MS: '30000',
      });
      // When the API's first outage began: demo-api prints it as it closes its port (this
      // listener runs after startDemo's, so the output already holds the chunk).
      let outageAt: number | undefined;
      demo.child.stdout?.on('data', () => {
        if (outageAt === undefined && demo.output().includes('demo-api: outage for')) {
          outageAt = Date.now();
        }
      });
      try {
        const prometheus = await eventually(
          () => /Prometheus \(pid \d+\): (http:\/\/\S+)/.exec(demo.output())?.[1],
          30_000,
          'the Prometheus URL',
        );
        await eventually(
          () => (demo.output().includes('ready in') ? true : undefined),
          60_000,
          'readiness',
        );
        const services = await eventually(
          async () => {
            const response = await fetch(
              `${prometheus}/api/v1/query?query=${encodeURIComponent('quasar_node_up == 1')}`,
            );
            const body = (await response.json()) as {
              data?: { result?: Array<{ metric: { job?: string } }> };
            };
            const jobs = new Set((body.data?.result ?? []).map((r) => r.metric.job));
            return ['demo-api', 'demo-worker', 'demo-laravel'].every((j) => jobs.has(j))
              ? [...jobs].sort()
              : undefined;
          },
          60_000,
          'the demo nodes in Prometheus',
        );
        expect(services).toEqual(
          expect.arrayContaining(['demo-api', 'demo-laravel', 'demo-worker']),
        );

        // Prometheus loaded the repository's rule file itself, not a copy.
        const files = (await ruleGroups(prometheus)).map((g) => g.file);
        expect([...new Set(files)]).toEqual([SHIPPED_RULES]);
        // demo-api closes its port for 15 s every 30 s here; the sidecar's check fails. The
        // bridge counts a failed run when an export (every 10 s) sees one: each outage is.
        const alert = await eventually(
          async () => {
            await new Promise((r) => setTimeout(r, 1000));
            return (await alerts(prometheus)).find(
              (a) =>
                a.labels.alertname === 'QuasarCheckFailing' &&
                a.labels.job === 'demo-laravel' &&
                a.labels.quasar_check_name === 'demo-api',
            );
          },
          200_000,
          'QuasarCheckFailing in Prometheus',
        );
        // Fired by an outage: the sidecar starts once the API listens, so nothing failed before.
        expect(outageAt).toBeDefined();
        expect(Date.parse(alert.activeAt)).toBeGreaterThan(outageAt!);
        expect(alert.state).toBe('firing');
        expect(alert.labels.severity).toBe('warning');
        expect(alert.labels.http_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/health$/);
        expect(alert.annotations.runbook_url).toBe('docs/alerts.md#quasarcheckfailing');
        // The series the rules read that the demo makes exist under the names the rules use.
        const names = await metricNames(prometheus);
        const shipped = readFileSync(SHIPPED_RULES, 'utf8');
        for (const name of DEMO_RULE_SERIES) {
          expect({
            name,
            inRules: shipped.includes(name),
            inPrometheus: names.includes(name),
          }).toEqual({ name, inRules: true, inPrometheus: true });
        }
        // Every rule evaluated on the demo's real series without an error (a clash of label
        // sets, a many-to-many match).
        const rules = (await ruleGroups(prometheus)).flatMap((g) => g.rules);
        expect(rules.length).toBeGreaterThanOrEqual(20);
        expect(rules.filter((r) => r.health !== 'ok')).toEqual([]);
      } finally {
        const pids = announcedPids(demo.output());
        demo.child.kill('SIGINT');
        expect(await demo.exited).toBe(0);
        expect(pids.filter(alive)).toEqual([]);
        rmSync(bin, { recursive: true, force: true });
      }
    }, 330_000);
  },
);
