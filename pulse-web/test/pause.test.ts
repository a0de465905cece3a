/**
 * Pausing a queue from the Pulse page in real Chromium, against a live system of its own: a
 * real BullMQ worker keeps processing `orders`, a real agent allows `pause` there, the built
 * collector issues the signed command. Alice clicks Pause and confirms; the worker stops taking
 * jobs, and the queue shows the paused badge with "by alice"; Resume lets the jobs through.
 * Saves `docs/screenshots/pulse-paused-badge.png`.
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

/** `url` through the server's sign-in URL, as a user opens it from what the server printed. */
function signedIn(server: PulseWebServer, url: string): string {
  const signIn = new URL(url);
  signIn.searchParams.set('token', new URL(server.signInUrl!).searchParams.get('token')!);
  return signIn.href;
}

const describeBrowser = describeWithRedis === describe ? describeWithChromium() : describeWithRedis;

describeBrowser('pausing a queue from the Pulse page in Chromium', () => {
  let browser: Browser;
  let queue: Queue;
  let worker: Worker;
  let agent: QuasarAgent;
  let collector: CollectorProcess;
  let web: PulseWebServer;
  const processed: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const redisUrl = await claimDatabase();
    const connection = bullmqConnection(redisUrl);
    queue = new Queue('orders', { connection });
    worker = new Worker(
      'orders',
      (job) => {
        processed.push(job.id as string);
        return Promise.resolve();
      },
      { connection },
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
    await agent.enableRemoteControl({
      queues: { orders: ['pause', 'promote'] },
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
      role: 'Admin',
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
    await worker?.close();
    await queue?.close();
  });

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  it('pauses after confirmation, shows "paused by alice", and the worker takes nothing until resumed', async () => {
    const first = await queue.add('ship', {});
    // The worker's first job, with the worker started moments ago: a cold start on a loaded machine.
    await eventually(
      () => (processed.includes(first.id!) ? true : undefined),
      20_000,
      'the worker to process a job',
    );

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(signedIn(web, `${web.appUrl}?theme=dark`));
    const card = page.getByTestId(testIds.nodeCard.card).filter({ hasText: 'shop-api-1' });
    const orders = card.getByTestId(ids.queue).filter({ hasText: 'orders' });
    await orders.getByTestId(ids.pause).click({ timeout: 30_000 });
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain(
      'Workers stop taking new jobs from orders on every node; jobs in progress finish.',
    );
    await dialog.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('status').getByText('paused orders').waitFor({ timeout: 20_000 });
    expect(await queue.isPaused()).toBe(true);

    // The next snapshot says paused, and the collector names who paused it.
    await orders.getByTestId(ids.paused).waitFor({ timeout: 20_000 });
    const by = orders.getByTestId(ids.pausedBy);
    await by.waitFor({ timeout: 20_000 });
    expect(await by.textContent()).toMatch(/^by alice, \S+ ago$/);
    expect(await orders.getByTestId(ids.resume).textContent()).toBe('Resume');

    const waiting = await Promise.all([1, 2, 3].map(() => queue.add('ship', {})));
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      expect(processed.filter((id) => waiting.some((j) => j.id === id))).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The page shows them waiting behind the pause.
    const waitingCount = orders
      .locator(`[data-state="waiting"]`)
      .and(orders.getByTestId(ids.count));
    await eventually(
      async () => ((await waitingCount.textContent()) === 'waiting3' ? true : undefined),
      20_000,
      'three waiting jobs on the page',
    );
    await card.screenshot({ path: join(SCREENSHOTS, 'pulse-paused-badge.png') });

    await orders.getByTestId(ids.resume).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Resume', exact: true }).click();
    await page.getByRole('status').getByText('resumed orders').waitFor({ timeout: 20_000 });
    // The paused worker wakes on the resume and takes the three jobs: give it a loaded machine's time.
    await eventually(
      () => (waiting.every((j) => processed.includes(j.id!)) ? true : undefined),
      20_000,
      'the worker to process the held jobs',
    );
    await orders.getByTestId(ids.pause).waitFor({ timeout: 20_000 });
    expect(await orders.getByTestId(ids.paused).count()).toBe(0);
    await page.close();
  });
});
