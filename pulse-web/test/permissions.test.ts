/**
 * Fine-grained permissions on the Pulse page in real Chromium, against a live system of its own:
 * a real BullMQ queue with failed jobs, a real agent that enables retry, delete, pause and promote
 * on it, the built collector. The page is served as a Viewer, an Editor and an Admin by the
 * stand-in for Grafana's app proxy, which gates each command route with the route's `reqAction`
 * and gives each role the actions the plugin's roles grant it. The buttons follow the same
 * actions (the boot data's `user.permissions`), and the proxy refuses what they hide.
 */
import { Queue, Worker } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
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

const ids = testIds.queueSection;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const PROXY = '/api/plugin-proxy/gravito-quasar-app';
const VERBS = ['retry', 'delete', 'inspect', 'pause', 'promote'] as const;
const DENIED = 'plugin proxy route access denied';

/** `url` through the server's sign-in URL, which gives the browser the server's role. */
function signedIn(server: PulseWebServer): string {
  const url = new URL(server.appUrl);
  url.searchParams.set('token', new URL(server.signInUrl!).searchParams.get('token')!);
  return url.href;
}

/** A role, or an Admin of an app in read-only mode. */
type Who = 'Viewer' | 'Editor' | 'Admin' | 'read-only Admin';

const describeBrowser = describeWithRedis === describe ? describeWithChromium() : describeWithRedis;

describeBrowser('permissions on the Pulse page in Chromium', () => {
  let browser: Browser;
  let queue: Queue;
  let agent: QuasarAgent;
  let collector: CollectorProcess;
  const servers: Record<Who, PulseWebServer> = {} as never;
  const errors: string[] = [];

  beforeAll(async () => {
    const redisUrl = await claimDatabase();
    const connection = bullmqConnection(redisUrl);
    queue = new Queue('orders', { connection });
    const worker = new Worker('orders', () => Promise.reject(new Error('card declined')), {
      connection,
    });
    await queue.addBulk([1, 2, 3].map((n) => ({ name: 'charge', data: { n } })));
    await eventually(
      async () => ((await queue.getFailedCount()) === 3 ? true : undefined),
      20_000,
      '3 failed jobs',
    );
    await worker.close();
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
      queues: { orders: ['retry', 'delete', 'pause', 'promote'] },
      token: SIGNING_TOKEN,
    });
    await agent.start();
    collector = await startCollectorProcess({
      redisUrl,
      apiToken: API_TOKEN,
      commandToken: SIGNING_TOKEN,
      refreshIntervalMs: 1000,
    });
    for (const role of ['Viewer', 'Editor', 'Admin'] as const) {
      servers[role] = await startPulseWeb({
        collectorUrl: collector.url,
        apiToken: API_TOKEN,
        role,
        port: 0,
      });
    }
    servers['read-only Admin'] = await startPulseWeb({
      collectorUrl: collector.url,
      apiToken: API_TOKEN,
      role: 'Admin',
      readOnly: true,
      port: 0,
    });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    for (const server of Object.values(servers)) await server.close();
    await collector?.stop();
    await agent?.stop();
    await queue?.close();
  });

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  /** The page as `role`, with the orders queue's failed jobs shown. */
  async function open(role: Who): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (error) => errors.push(error.message));
    const server = servers[role];
    await page.goto(role === 'Viewer' ? server.appUrl : signedIn(server));
    const orders = ordersQueue(page);
    const toggle = orders.getByTestId(ids.failedJobsToggle);
    await toggle.waitFor({ timeout: 30_000 });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await eventually(
      async () => ((await orders.getByTestId(ids.failedJob).count()) === 3 ? true : undefined),
      20_000,
      'the failed jobs',
    );
    return page;
  }

  const ordersQueue = (page: Page) =>
    page
      .getByTestId(testIds.nodeCard.card)
      .filter({ hasText: 'shop-api-1' })
      .getByTestId(ids.queue)
      .filter({ hasText: 'orders' });

  /** POSTs `body` from the page to each verb's proxy route; the status and message of each. */
  const postEachVerb = (page: Page, body: unknown) =>
    page.evaluate(
      async ({ proxy, verbs, json }) => {
        const out: Record<string, [number, string]> = {};
        for (const verb of verbs) {
          const response = await fetch(`${proxy}/api/pulse/command/${verb}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: json,
          });
          const reply = (await response.json()) as { message?: string; error?: { code?: string } };
          out[verb] = [response.status, reply.message ?? reply.error?.code ?? ''];
        }
        return out;
      },
      { proxy: PROXY, verbs: VERBS, json: JSON.stringify(body) },
    );

  /** Commands the collector audited: none reaches it unless the proxy let it through. */
  const audited = async () => {
    const response = await fetch(`${collector.url}/api/pulse/audit`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    return ((await response.json()) as { entries: unknown[] }).entries.length;
  };

  it('shows a Viewer no action on a queue whose agent enables them, and the proxy refuses every command route', async () => {
    const page = await open('Viewer');
    const orders = ordersQueue(page);
    // The one button is the failed jobs' disclosure.
    expect(await orders.getByRole('button').allTextContents()).toEqual([
      expect.stringContaining('newest failed jobs'),
    ]);
    expect(await orders.getByTestId(ids.retry).count()).toBe(0);
    expect(await orders.getByTestId(ids.delete).count()).toBe(0);
    expect(await orders.getByTestId(ids.retryAll).count()).toBe(0);

    const job = (await queue.getFailed())[0]!;
    const retry = { service: 'shop', nodeId: 'shop-api-1', type: 'RETRY_JOB', queue: 'orders' };
    const replies = await postEachVerb(page, { ...retry, jobId: job.id, driver: 'bullmq' });
    for (const verb of VERBS) expect([verb, replies[verb]]).toEqual([verb, [403, DENIED]]);
    // The catch-all command route is gone: nothing is left to bypass the per-verb gates.
    const generic = await page.evaluate(
      async (url) => (await fetch(url, { method: 'POST', body: '{}' })).status,
      `${PROXY}/api/pulse/command`,
    );
    expect(generic).toBe(404);
    expect(await audited()).toBe(0);
    expect(await queue.getFailedCount()).toBe(3);
    await page.close();
  });

  it('shows an Editor Retry and Delete, as before roles, but lets only retry, delete and inspect through', async () => {
    const page = await open('Editor');
    const orders = ordersQueue(page);
    expect(await orders.getByTestId(ids.retry).count()).toBe(3);
    expect(await orders.getByTestId(ids.delete).count()).toBe(3);
    expect(await orders.getByTestId(ids.retryAll).count()).toBe(1);
    const labels = await orders.getByRole('button').allTextContents();
    expect(labels.filter((label) => /pause|resume|promote/i.test(label))).toEqual([]);

    // An empty body: the collector, once reached, refuses it as no command, so nothing runs.
    const replies = await postEachVerb(page, {});
    expect(replies).toEqual({
      retry: [400, 'QUASAR_INVALID_COMMAND'],
      delete: [400, 'QUASAR_INVALID_COMMAND'],
      inspect: [400, 'QUASAR_INVALID_COMMAND'],
      pause: [403, DENIED],
      promote: [403, DENIED],
    });
    await page.close();
  });

  it('lets an Admin through every command route', async () => {
    const page = await open('Admin');
    const replies = await postEachVerb(page, {});
    for (const verb of VERBS) {
      expect([verb, replies[verb]]).toEqual([verb, [400, 'QUASAR_INVALID_COMMAND']]);
    }
    expect(await ordersQueue(page).getByTestId(ids.delete).count()).toBe(3);
    await page.close();
  });

  it("shows an Admin no action in the app's read-only mode, and the collector refuses the commands the proxy lets through", async () => {
    const page = await open('read-only Admin');
    const orders = ordersQueue(page);
    expect(await orders.getByRole('button').allTextContents()).toEqual([
      expect.stringContaining('newest failed jobs'),
    ]);
    const job = (await queue.getFailed())[0]!;
    const retry = { service: 'shop', nodeId: 'shop-api-1', type: 'RETRY_JOB', queue: 'orders' };
    const replies = await postEachVerb(page, { ...retry, jobId: job.id, driver: 'bullmq' });
    // The Admin holds every action, so the proxy forwards; its read-only header stops it there.
    expect(replies.retry).toEqual([403, 'QUASAR_READ_ONLY']);
    expect(await audited()).toBe(0);
    expect(await queue.getFailedCount()).toBe(3);
    await page.close();
  });
});
