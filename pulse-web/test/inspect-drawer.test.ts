/**
 * The inspection drawer in real Chromium, against a live system of its own: a real BullMQ
 * worker fails a job whose payload is as hostile as a payload gets (markup that runs script when
 * parsed as HTML, a 200 KB string, 200 levels of nesting, every byte value, a password), a real
 * agent with `inspect` enabled reads, redacts, caps and seals it, and the built collector opens
 * it for the page. The drawer must show all of it as text. Saves
 * `docs/screenshots/pulse-inspect-drawer.png`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import { QuasarAgent, createRedisClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import { testIds } from 'gravito-quasar-app/src/components/testIds';
import { describeWithChromium, launchChromium } from '../../testing/chromium';
import { startCollectorProcess, type CollectorProcess } from '../../testing/quasar-collector';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  eventually,
} from '../../testing/redis';
import { startPulseWeb, type PulseWebServer } from '../src/server';
import { API_TOKEN, SIGNING_TOKEN } from './fleet';

const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const ids = testIds.queueSection;
const ij = testIds.inspect;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';
const PASSWORD = 'hunter2-never-shown-5c1d';
/** Payload text that is no secret: shown in the drawer, and nowhere else in clear. */
const MARKER = 'invoice-body-marker-91d2';

/** A payload nested `levels` deep, the innermost holding a script tag. */
function nested(levels: number): unknown {
  let value: unknown = { end: SCRIPT };
  for (let i = 0; i < levels; i++) value = { next: value };
  return value;
}

/** Every one of the 256 byte values, as a string of code units. */
const BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

const PAYLOAD = {
  html: IMG,
  note: MARKER,
  script: SCRIPT,
  password: PASSWORD,
  bytes: BYTES,
  nested: nested(200),
  big: 'B'.repeat(200_000),
};

/** The failure as a deployed app throws it: markup in the message too. */
function hostileError(): Error {
  const error = new Error(`Rendering failed near ${IMG}`);
  error.stack = [
    `Error: Rendering failed near ${IMG}`,
    '    at renderInvoice (/app/src/billing/render.js:12:5)',
  ].join('\n');
  return error;
}

const describeBrowser = describeWithRedis === describe ? describeWithChromium() : describeWithRedis;

describeBrowser('the inspection drawer in Chromium, with a hostile payload', () => {
  let browser: Browser;
  let queue: Queue;
  let agent: QuasarAgent;
  let collector: CollectorProcess;
  let web: PulseWebServer;
  let jobId: string;
  let redis: RedisClient;
  const errors: string[] = [];

  beforeAll(async () => {
    const redisUrl = await claimDatabase();
    const connection = bullmqConnection(redisUrl);
    redis = createRedisClient(redisUrl);
    queue = new Queue('invoices', { connection });
    const worker = new Worker('invoices', () => Promise.reject(hostileError()), { connection });
    const job = await queue.add('render', PAYLOAD);
    jobId = String(job.id);
    await eventually(
      async () => ((await queue.getFailedCount()) === 1 ? true : undefined),
      20_000,
      'the job to fail',
    );
    await worker.close();
    agent = new QuasarAgent({
      service: 'billing',
      name: 'billing-api-1',
      interval: 1000,
      logger: silent,
      otel: { enabled: false },
      transport: { url: redisUrl },
    });
    agent.monitorQueue('invoices', 'bullmq');
    await agent.enableRemoteControl({
      queues: { invoices: ['retry', 'inspect'] },
      token: SIGNING_TOKEN,
    });
    await agent.start();
    collector = await startCollectorProcess({
      redisUrl,
      apiToken: API_TOKEN,
      commandToken: SIGNING_TOKEN,
      refreshIntervalMs: 1000,
    });
    web = await startPulseWeb({
      collectorUrl: collector.url,
      apiToken: API_TOKEN,
      role: 'Editor',
      port: 0,
    });
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await collector?.stop();
    await agent?.stop();
    await queue?.close();
    redis?.disconnect();
  });

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  async function open(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    const signIn = new URL(web.appUrl);
    signIn.searchParams.set('token', new URL(web.signInUrl!).searchParams.get('token')!);
    await page.goto(`${signIn.href}&theme=dark`);
    return page;
  }

  const invoicesOf = (page: Page) =>
    page
      .getByTestId(testIds.nodeCard.card)
      .filter({ hasText: 'billing-api-1' })
      .getByTestId(ids.queue)
      .filter({ hasText: 'invoices' });

  it('shows every field as text: no element, no script, the password redacted, the page usable', async () => {
    const page = await open();
    const invoices = invoicesOf(page);
    const toggle = invoices.getByTestId(ids.failedJobsToggle);
    await toggle.waitFor({ timeout: 30_000 });
    await toggle.click();
    const row = invoices.getByTestId(ids.failedJob).and(page.locator(`[data-job-id="${jobId}"]`));
    const started = Date.now();
    await row.getByTestId(ids.inspect).click();

    const drawer = page.getByTestId(ij.drawer);
    const data = drawer.getByTestId(ij.data);
    await data.waitFor({ timeout: 30_000 });
    const shownAfterMs = Date.now() - started;

    const text = (await data.textContent()) ?? '';
    // The markup is there as the characters it is made of, escaped as JSON escapes quotes.
    expect(text).toContain('<img src=x onerror=\\"window.__pwned=1\\">');
    expect(text).toContain(SCRIPT);
    expect(text).toContain('"password": "[REDACTED]"');
    expect(await drawer.locator('img, script, iframe, object, embed').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBe(
      undefined,
    );
    expect(await page.content()).not.toContain(PASSWORD);
    expect(await drawer.getByTestId(ij.failedReason).textContent()).toBe(
      `Rendering failed near ${IMG}`,
    );
    expect(await drawer.getByTestId(ij.stacktrace).textContent()).toContain(IMG);
    expect(await drawer.getByTestId(ij.redacted).textContent()).toMatch(
      /^[1-9]\d* values? redacted$/,
    );
    // The 200 KB string does not fit the agent's 64 KB cap: the drawer says which field was cut.
    expect(await drawer.getByTestId(ij.truncated).textContent()).toContain('data');
    expect(text.length).toBeLessThan(200_000);
    expect(text).toContain(MARKER);

    // The job the agent stored (at its own key, beside a result that says `hasJob`) is sealed;
    // the audit stream and the collector's log say who inspected which job, never what it holds.
    const jobs = await redis.keys(QuasarKeys.commandJob('*'));
    expect(jobs).toHaveLength(1);
    const stored = (await redis.get(jobs[0]!)) ?? '';
    expect(stored).toContain('"sealed":"aes-256-gcm"');
    const results = await redis.keys(QuasarKeys.commandResult('*'));
    expect(results).toHaveLength(1);
    const result = (await redis.get(results[0]!)) ?? '';
    expect(result).toContain('"hasJob":true');
    const audit = JSON.stringify(await redis.xrange(QuasarKeys.audit, '-', '+'));
    expect(audit).toContain('INSPECT_JOB');
    expect(audit).toContain(`"jobId","${jobId}"`);
    for (const where of [stored, result, audit, collector.process.output()]) {
      expect(where).not.toContain(MARKER);
      expect(where).not.toContain(PASSWORD);
    }

    // Long and deep values wrap and scroll inside their box: the drawer keeps its width.
    const layout = await drawer.evaluate(async (element, dataId) => {
      // The drawer slides in: measure once its (finite) transitions are over, not mid-slide.
      const finite = document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
      await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
      const pre = element.querySelector(`[data-testid="${dataId}"]`) as HTMLElement;
      return {
        drawer: { scroll: element.scrollWidth, client: element.clientWidth },
        pre: { height: pre.clientHeight, scrollHeight: pre.scrollHeight },
        viewport: window.innerWidth,
        right: element.getBoundingClientRect().right,
      };
    }, ij.data);
    expect(layout.drawer.scroll).toBeLessThanOrEqual(layout.drawer.client);
    expect(layout.right).toBeLessThanOrEqual(layout.viewport);
    expect(layout.pre.height).toBeLessThanOrEqual(480);
    expect(layout.pre.scrollHeight).toBeGreaterThan(layout.pre.height);

    await page.screenshot({ path: join(SCREENSHOTS, 'pulse-inspect-drawer.png') });
    process.stdout.write(`inspect drawer shown ${shownAfterMs} ms after the click\n`);

    // Still usable: the drawer closes, and the page answers the next click.
    await page.getByRole('button', { name: /close/i }).click();
    await drawer.waitFor({ state: 'detached' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await page.close();
  });

  it('finds the job by its id across the node’s queues', async () => {
    const page = await open();
    const card = page.getByTestId(testIds.nodeCard.card).filter({ hasText: 'billing-api-1' });
    const input = card.getByTestId(ids.findJobInput);
    await input.waitFor({ timeout: 30_000 });
    await input.fill(jobId);
    await card.getByTestId(ids.findJobSubmit).click();
    const drawer = page.getByTestId(ij.drawer);
    await drawer.getByTestId(ij.data).waitFor({ timeout: 30_000 });
    const facts = await drawer.getByTestId(ij.fact).allTextContents();
    expect(facts).toContain('Queueinvoices');
    expect(facts).toContain(`Id${jobId}`);
    expect(await drawer.locator('img').count()).toBe(0);
    await page.close();
  });
});
