/**
 * The Pulse page in real Chromium against values a reader must survive. A live collector (the
 * built bin, on a real Redis) serves heartbeats written straight into Redis, as any agent could
 * write them: ordinary nodes, and one whose failed job failed at 1e16 ms, an instant `Date`
 * cannot hold. A collector may drop or refuse what it cannot serve, so the second test also hands
 * the page a reply that still carries every hostile value, as an older collector would send it:
 * the live reply, extended in the browser's network layer (Playwright's `route`).
 */
import Redis from 'ioredis';
import type { Browser, Page, Route } from 'playwright-core';
import { QuasarKeys, heartbeatTtlSeconds } from '@gravito/quasar/schema';
import { testIds } from 'gravito-quasar-app/src/components/testIds';
import { describeWithChromium, launchChromium } from '../../testing/chromium';
import { startCollectorProcess, type CollectorProcess } from '../../testing/quasar-collector';
import { claimDatabase, describeWithRedis } from '../../testing/redis';
import { startPulseWeb, type PulseWebServer } from '../src/server';

const API_TOKEN = 'hostile-api-token-2c81f4';
/** An instant no `Date` can hold: `new Date(1e16).toISOString()` throws a `RangeError`. */
const OUT_OF_RANGE_TIME = 1e16;
/** Services named like members of `Object.prototype`. */
const PROTOTYPE_SERVICES = ['constructor', '__proto__', 'toString'];

const describeBrowser = describeWithRedis === describe ? describeWithChromium() : describeWithRedis;

/** A heartbeat with the fields every agent writes, as the SDK's schema requires them. */
function beat(
  service: string,
  id: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    service,
    language: 'node',
    version: 'v20.20.2',
    pid: 4242,
    hostname: `${id}-host`,
    platform: 'linux',
    timestamp: Date.now(),
    cpu: { system: 12, process: 3.5, cores: 2 },
    memory: {
      system: { total: 2 ** 31, free: 2 ** 30, used: 2 ** 30 },
      process: { rss: 2 ** 27, heapTotal: 2 ** 26, heapUsed: 2 ** 25 },
    },
    runtime: { uptime: 120 },
    ...extra,
  };
}

/** A queue whose one failed job failed at {@link OUT_OF_RANGE_TIME}. */
const QUEUES_FAILED_OUT_OF_RANGE = [
  {
    name: 'emails',
    driver: 'bullmq',
    size: { waiting: 0, active: 0, delayed: 0, failed: 1 },
    failedSample: [
      { id: '982', name: 'send-receipt', failedAt: OUT_OF_RANGE_TIME, reason: 'SMTP 421' },
    ],
  },
];

/** The nodes written into Redis: two ordinary ones and the one with the out-of-range failed job. */
const LIVE = [
  beat('shop', 'api-1'),
  beat('shop', 'worker-far-future', { queues: QUEUES_FAILED_OUT_OF_RANGE }),
  beat('billing', 'invoicer-1'),
];

/** Writes heartbeats exactly as an agent does: SET … EX with the schema's TTL, and the node index. */
async function writeBeats(
  redisUrl: string,
  beats: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    const pipeline = redis.pipeline();
    for (const b of beats) {
      const key = QuasarKeys.node(String(b.service), String(b.id));
      pipeline.set(key, JSON.stringify(b), 'EX', heartbeatTtlSeconds(60_000));
      pipeline.zadd(QuasarKeys.nodeIndex, Date.now(), key);
    }
    await pipeline.exec();
  } finally {
    redis.disconnect();
  }
}

/**
 * The live nodes reply with hostile groups added: one node in each of {@link PROTOTYPE_SERVICES},
 * and a forged node with the out-of-range failed job. Written as JSON text, so `__proto__` is an
 * own key for the page's `JSON.parse`, as a collector's reply would make it.
 */
function withHostileGroups(liveText: string): string {
  const live = JSON.parse(liveText) as { nodes: Record<string, unknown[]>; serverTime: number };
  const groups: Array<[string, unknown[]]> = [
    ...Object.entries(live.nodes),
    [
      'forged',
      [beat('forged', 'forged-1', { queues: QUEUES_FAILED_OUT_OF_RANGE, status: 'online' })],
    ],
    ...PROTOTYPE_SERVICES.map((s): [string, unknown[]] => [
      s,
      [beat(s, `${s}-1`, { language: s, status: 'online' })],
    ]),
  ];
  const nodes = groups.map(([s, list]) => `${JSON.stringify(s)}:${JSON.stringify(list)}`).join(',');
  return `{"nodes":{${nodes}},"serverTime":${live.serverTime}}`;
}

describeBrowser('the Pulse page in Chromium against hostile values', () => {
  let collector: CollectorProcess;
  let browser: Browser;
  let web: PulseWebServer;
  const problems: string[] = [];

  async function open(url: string, setup?: (page: Page) => Promise<void>): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await setup?.(page);
    await page.goto(url);
    return page;
  }

  /** The collector's own nodes reply, as JSON text. */
  async function liveNodesText(): Promise<string> {
    const response = await fetch(`${collector.url}/api/pulse/nodes`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    return response.text();
  }

  const card = (page: Page, id: string) =>
    page.locator(`[data-testid="${testIds.nodeCard.card}"][data-node-id="${id}"]`);

  beforeAll(async () => {
    const redisUrl = await claimDatabase();
    await writeBeats(redisUrl, LIVE);
    collector = await startCollectorProcess({ redisUrl, apiToken: API_TOKEN });
    browser = await launchChromium();
    web = await startPulseWeb({
      collectorUrl: collector.url,
      apiToken: API_TOKEN,
      role: 'Viewer',
      port: 0,
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await collector?.stop();
  });

  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });

  it('renders every node of the live collector, the one with a failed job at 1e16 included', async () => {
    const page = await open(web.appUrl);
    for (const b of LIVE) await card(page, String(b.id)).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId(testIds.nodeCard.card).count()).toBe(LIVE.length);
    expect(await page.getByTestId(testIds.nodeCard.fallback).count()).toBe(0);
    const queue = card(page, 'worker-far-future').getByTestId(testIds.queueSection.queue);
    expect(await queue.getAttribute('data-queue')).toBe('emails');
    // Where this collector still serves the instant, the job is listed without a time.
    if ((await liveNodesText()).includes(String(OUT_OF_RANGE_TIME))) {
      const text = await queue.getByTestId(testIds.queueSection.failedJob).textContent();
      expect(text).toContain('#982 send-receipt');
      expect(text).not.toContain('ago');
    }
    await page.close();
  });

  it('renders a reply that still carries them: the failed job without a time, prototype-named services as groups', async () => {
    const page = await open(web.appUrl, async (p) => {
      // The stream would bring the live snapshot back; without it the page polls the route below.
      await p.route(/\/api\/pulse\/stream/, (route) => route.abort());
      await p.route(/\/api\/pulse\/nodes$/, async (route: Route) => {
        const live = await route.fetch();
        await route.fulfill({ response: live, body: withHostileGroups(await live.text()) });
      });
    });
    await card(page, 'forged-1').waitFor({ timeout: 20_000 });

    const services = await page
      .getByTestId(testIds.pulse.group)
      .evaluateAll((all) => all.map((g) => g.getAttribute('data-service')));
    expect([...services].sort()).toEqual(
      ['billing', 'forged', 'shop', ...PROTOTYPE_SERVICES].sort(),
    );
    for (const service of PROTOTYPE_SERVICES) {
      const group = page
        .getByTestId(testIds.pulse.group)
        .and(page.locator(`[data-service="${service}"]`));
      expect(await group.getByTestId(testIds.pulse.groupCount).textContent()).toBe('1 node');
      // Cards far below the viewport are placeholders until scrolled to.
      await group.scrollIntoViewIfNeeded();
      await group
        .locator(`[data-testid="${testIds.nodeCard.card}"][data-node-id="${service}-1"]`)
        .waitFor();
    }
    const job = card(page, 'forged-1').getByTestId(testIds.queueSection.failedJob);
    const text = await job.textContent();
    expect(text).toContain('#982 send-receipt');
    expect(text).not.toContain('ago');
    const shown = page.locator(
      `[data-testid="${testIds.nodeCard.card}"], [data-testid="${testIds.pulse.cardPlaceholder}"]`,
    );
    expect(await shown.count()).toBe(LIVE.length + 1 + PROTOTYPE_SERVICES.length);
    expect(await page.getByTestId(testIds.nodeCard.fallback).count()).toBe(0);
    await page.close();
  });
});
