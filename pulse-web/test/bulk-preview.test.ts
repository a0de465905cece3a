/**
 * A bulk retry of one failure group on the Pulse page in real Chromium, against a live system of
 * its own: a real BullMQ worker fails jobs with three kinds of errors, a real agent groups them
 * and executes signed commands, the built collector relays them. "Retry all like this" runs a
 * dry run whose exact count the confirmation shows; confirming moves exactly that group's jobs.
 * Saves `docs/screenshots/pulse-bulk-preview.png`.
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
import { API_TOKEN, SIGNING_TOKEN } from './fleet';

const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const ids = testIds.queueSection;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** An error whose stack starts in the shop's own code, as a deployed shop throws it. */
function shopError(message: string, fn: string, file: string): Error {
  const error = new Error(message);
  error.stack = [`Error: ${message}`, `    at ${fn} (/app/src/${file}:41:11)`].join('\n');
  return error;
}

/** What each job name fails with, for job number `n`, and how many fail. */
const KINDS: Record<string, { count: number; fail: (n: number) => Error }> = {
  'charge-card': {
    count: 7,
    fail: (n) => shopError(`Card ending ${4242 + n} declined`, 'chargeCard', 'billing/charge.js'),
  },
  'reserve-stock': {
    count: 5,
    fail: (n) => shopError(`Deadlock on row ${n * 17}`, 'reserveStock', 'stock/reserve.js'),
  },
  'notify-carrier': {
    count: 3,
    fail: (n) =>
      shopError(`Carrier 10.0.3.${n}:8443 timed out`, 'notifyCarrier', 'shipping/carrier.js'),
  },
};

const describeBrowser = describeWithRedis === describe ? describeWithChromium() : describeWithRedis;

describeBrowser('bulk retry of a failure group on the Pulse page in Chromium', () => {
  let browser: Browser;
  let queue: Queue;
  let agent: QuasarAgent;
  let collector: CollectorProcess;
  let web: PulseWebServer;
  const errors: string[] = [];

  /** How many jobs of each name are in `state`. */
  async function countsIn(state: 'failed' | 'waiting'): Promise<Record<string, number>> {
    const jobs = state === 'failed' ? await queue.getFailed(0, -1) : await queue.getWaiting(0, -1);
    const counts: Record<string, number> = {};
    for (const job of jobs) counts[job.name] = (counts[job.name] ?? 0) + 1;
    return counts;
  }

  beforeAll(async () => {
    const redisUrl = await claimDatabase();
    const connection = bullmqConnection(redisUrl);
    queue = new Queue('orders', { connection });
    const worker = new Worker(
      'orders',
      (job) =>
        Promise.reject(
          (KINDS[job.name]?.fail ?? ((n: number) => new Error(`unknown ${n}`)))(
            (job.data as { n: number }).n,
          ),
        ),
      { connection, concurrency: 10 },
    );
    try {
      await queue.addBulk(
        Object.entries(KINDS).flatMap(([name, { count }]) =>
          Array.from({ length: count }, (_, n) => ({ name, data: { n } })),
        ),
      );
      await eventually(
        async () => ((await queue.getFailedCount()) === 15 ? true : undefined),
        20_000,
        '15 failed jobs',
      );
    } finally {
      // Retried jobs stay waiting: nothing takes them.
      await worker.close();
    }
    agent = new QuasarAgent({
      service: 'shop',
      name: 'shop-api-1',
      interval: 1000,
      logger: silent,
      otel: { enabled: false },
      transport: { url: redisUrl },
    });
    agent.monitorQueue('orders', 'bullmq');
    await agent.enableRemoteControl({
      queues: { orders: ['retry', 'delete'] },
      token: SIGNING_TOKEN,
      maxJobsPerCommand: 1000,
      jobsPerBatch: 2,
      batchPauseMs: 50,
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
      user: 'alice',
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
  });

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  it('previews the exact count of a group, and retrying it moves exactly those jobs', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
    page.on('pageerror', (error) => errors.push(error.message));
    // Through the sign-in URL the server printed: only that browser holds the Editor role.
    const url = new URL(`${web.appUrl}?theme=dark`);
    url.searchParams.set('token', new URL(web.signInUrl ?? '').searchParams.get('token') ?? '');
    await page.goto(url.href);
    const card = page.getByTestId(testIds.nodeCard.card).filter({ hasText: 'shop-api-1' });
    const orders = card.getByTestId(ids.queue).filter({ hasText: 'orders' });
    const groups = orders.getByTestId(ids.failureGroup);
    await eventually(
      async () => ((await groups.count()) === 3 ? true : undefined),
      30_000,
      'three failure groups',
    );
    const deadlock = groups.filter({ hasText: 'Deadlock on row <n>' });
    expect(await deadlock.getByTestId(ids.failureGroupCount).textContent()).toBe('×5');

    await deadlock.getByTestId(ids.groupRetry).click();
    const preview = page.getByTestId(ids.bulkPreview);
    await preview.waitFor({ timeout: 20_000 });
    expect(await preview.getByTestId(ids.bulkRadius).textContent()).toBe('5 jobs (exact)');
    expect(await preview.getByTestId(ids.bulkSample).count()).toBe(5);
    for (const text of await preview.getByTestId(ids.bulkSample).allTextContents()) {
      expect(text).toContain('reserve-stock');
    }
    expect(await preview.getByTestId(ids.bulkCap).textContent()).toBe(
      'All 5 jobs will be retried, in paced batches.',
    );
    // The dry run moved nothing.
    expect(await countsIn('failed')).toEqual({
      'charge-card': 7,
      'reserve-stock': 5,
      'notify-carrier': 3,
    });
    await page.getByRole('dialog').screenshot({
      path: join(SCREENSHOTS, 'pulse-bulk-preview.png'),
    });

    await preview.page().getByTestId(ids.bulkConfirm).click();
    await page.getByText('retried 5 jobs').waitFor({ timeout: 20_000 });
    expect(await countsIn('failed')).toEqual({ 'charge-card': 7, 'notify-carrier': 3 });
    expect(await countsIn('waiting')).toEqual({ 'reserve-stock': 5 });
    await page.close();
  }, 60_000);
});
