/**
 * Failure groups on the Pulse page in real Chromium, against a live system of its own: a real
 * BullMQ worker fails jobs with three kinds of errors, a real agent groups them, the built
 * collector serves them. The page shows the groups first, with their counts, and the failed jobs
 * on demand, and a search narrows both to one error. Saves
 * `docs/screenshots/pulse-failure-groups.png`, `…-jobs.png` and `pulse-failure-search.png`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import type { Browser } from 'playwright-core';
import { QuasarAgent } from '@gravito/quasar';
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
import { API_TOKEN } from './fleet';

const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const ids = testIds.queueSection;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * An error as a deployed shop throws it: its stack starts in the shop's own code (an image would
 * otherwise show this machine's paths), then BullMQ's. The fingerprint's frame is the first.
 */
function shopError(message: string, fn: string, file: string): Error {
  const error = new Error(message);
  error.stack = [
    `Error: ${message}`,
    `    at ${fn} (/app/src/${file}:41:11)`,
    '    at Worker.callProcessJob (/app/node_modules/bullmq/dist/cjs/classes/worker.js:612:28)',
  ].join('\n');
  return error;
}

/** What each job name fails with, for job number `n`; the counts the page must show. */
const KINDS: Record<string, { count: number; fail: (n: number) => Error }> = {
  'charge-card': {
    count: 6,
    fail: (n) =>
      shopError(`Card ending ${4242 + n} declined by issuer`, 'chargeCard', 'billing/charge.js'),
  },
  'reserve-stock': {
    count: 4,
    fail: (n) =>
      shopError(`Deadlock on row ${n * 17} of "inventory"`, 'reserveStock', 'stock/reserve.js'),
  },
  'notify-carrier': {
    count: 2,
    fail: (n) =>
      shopError(
        `Carrier 10.0.3.${n}:8443 timed out after ${3000 + n} ms`,
        'notifyCarrier',
        'shipping/carrier.js',
      ),
  },
};

const describeBrowser = describeWithRedis === describe ? describeWithChromium() : describeWithRedis;

describeBrowser('failure groups on the Pulse page in Chromium', () => {
  let browser: Browser;
  let queue: Queue;
  let worker: Worker;
  let agent: QuasarAgent;
  let collector: CollectorProcess;
  let web: PulseWebServer;
  const errors: string[] = [];

  beforeAll(async () => {
    const redisUrl = await claimDatabase();
    const connection = bullmqConnection(redisUrl);
    queue = new Queue('orders', { connection });
    worker = new Worker(
      'orders',
      (job) =>
        Promise.reject(
          (KINDS[job.name]?.fail ?? ((n: number) => new Error(`unknown ${n}`)))(
            (job.data as { n: number }).n,
          ),
        ),
      { connection, concurrency: 10 },
    );
    await queue.addBulk(
      Object.entries(KINDS).flatMap(([name, { count }]) =>
        Array.from({ length: count }, (_, n) => ({ name, data: { n } })),
      ),
    );
    await eventually(
      async () => ((await queue.getFailedCount()) === 12 ? true : undefined),
      20_000,
      '12 failed jobs',
    );
    agent = new QuasarAgent({
      service: 'shop',
      name: 'shop-api-1',
      interval: 1000,
      logger: silent,
      otel: { enabled: false },
      transport: { url: redisUrl },
    });
    agent.monitorQueue('orders', 'bullmq');
    await agent.start();
    collector = await startCollectorProcess({
      redisUrl,
      apiToken: API_TOKEN,
      refreshIntervalMs: 1000,
    });
    web = await startPulseWeb({
      collectorUrl: collector.url,
      apiToken: API_TOKEN,
      role: 'Viewer',
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
    await worker?.close();
    await queue?.close();
  });

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  it('shows the error groups with their counts first, and the failed jobs on demand', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${web.appUrl}?theme=dark`);
    const card = page.getByTestId(testIds.nodeCard.card).filter({ hasText: 'shop-api-1' });
    const orders = card.getByTestId(ids.queue).filter({ hasText: 'orders' });
    const groups = orders.getByTestId(ids.failureGroup);
    await eventually(
      async () => ((await groups.count()) === 3 ? true : undefined),
      30_000,
      'three failure groups',
    );

    expect(await orders.getByTestId(ids.failureGroupCount).allTextContents()).toEqual([
      '×6',
      '×4',
      '×2',
    ]);
    const texts = await groups.allTextContents();
    expect(texts[0]).toContain('Card ending <n> declined by issuer');
    expect(texts[0]).toContain('at chargeCard (/app/src/billing/charge.js)');
    expect(texts[1]).toContain('Deadlock on row <n> of <str>');
    expect(texts[1]).toContain('at reserveStock (/app/src/stock/reserve.js)');
    expect(texts[2]).toContain('Carrier <ip> timed out after <n> ms');
    for (const text of texts) expect(text).toMatch(/first \S+ ago · last \S+ ago · e\.g\. #\d+ /);
    expect(await orders.getByTestId(ids.failureGroups).textContent()).toContain(
      'the newest 12 failed',
    );
    // The jobs wait behind the disclosure: twelve cards no longer fill the screen.
    expect(await orders.getByTestId(ids.failedJob).count()).toBe(0);
    await card.screenshot({ path: join(SCREENSHOTS, 'pulse-failure-groups.png') });

    const toggle = orders.getByTestId(ids.failedJobsToggle);
    expect(await toggle.textContent()).toContain('Show the 12 newest failed jobs');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    // The page's updates below are awaited for 15 s, not the default 5: Chromium on a loaded
    // 2-core machine can take seconds to lay out a card anew.
    await eventually(
      async () => ((await orders.getByTestId(ids.failedJob).count()) === 12 ? true : undefined),
      15_000,
    );
    expect(await orders.getByTestId(ids.failedJob).first().textContent()).toMatch(
      /declined|Deadlock|timed out/,
    );
    await page.screenshot({
      path: join(SCREENSHOTS, 'pulse-failure-groups-jobs.png'),
      fullPage: true,
    });

    // A word of one error narrows the groups and the jobs, on the page: no command, no scan.
    const sent: string[] = [];
    page.on('request', (request) => sent.push(request.url()));
    // Closed again; the full-page screenshot resizes the page, and a card laid out anew may
    // already be closed: click only an open toggle, then wait for it to read closed.
    if ((await toggle.getAttribute('aria-expanded')) === 'true') await toggle.click();
    await eventually(
      async () => ((await toggle.getAttribute('aria-expanded')) === 'false' ? true : undefined),
      15_000,
    );
    await orders.getByTestId(ids.failureSearch).fill('deadlock');
    await eventually(async () => ((await groups.count()) === 1 ? true : undefined), 15_000);
    expect(await groups.first().textContent()).toContain('Deadlock on row <n> of <str>');
    const jobs = orders.getByTestId(ids.failedJob);
    expect(await jobs.count()).toBe(4);
    for (const text of await jobs.allTextContents()) {
      expect(text).toMatch(/#\d+ reserve-stock/);
      expect(text).toMatch(/Deadlock on row \d+ of "inventory"/);
    }
    expect(await orders.getByTestId(ids.failureSearchSummary).textContent()).toBe(
      '1 of 3 groups · 4 of 12 jobs match',
    );
    expect(await orders.getByTestId(ids.failedJobsToggle).count()).toBe(0);
    await card.screenshot({ path: join(SCREENSHOTS, 'pulse-failure-search.png') });

    // A job's name finds its group through the group's example, and its jobs.
    await orders.getByTestId(ids.failureSearch).fill('NOTIFY-CARRIER');
    await eventually(async () => ((await jobs.count()) === 2 ? true : undefined), 15_000);
    expect(await groups.count()).toBe(1);
    expect(await groups.first().textContent()).toContain('Carrier <ip> timed out after <n> ms');

    // Nothing matches: the page says so.
    await orders.getByTestId(ids.failureSearch).fill('.*');
    await eventually(
      async () =>
        (await orders.getByTestId(ids.failureSearchEmpty).count()) === 1 ? true : undefined,
      15_000,
    );
    expect(await groups.count()).toBe(0);
    expect(await jobs.count()).toBe(0);

    // Cleared, the page is as before: three groups, the jobs behind the disclosure.
    await orders.getByTestId(ids.failureSearch).fill('');
    await eventually(async () => ((await groups.count()) === 3 ? true : undefined), 15_000);
    expect(await jobs.count()).toBe(0);
    expect(await orders.getByTestId(ids.failedJobsToggle).textContent()).toContain(
      'Show the 12 newest failed jobs',
    );
    expect(sent.filter((url) => url.includes('/command'))).toEqual([]);
    await page.close();
  });
});
