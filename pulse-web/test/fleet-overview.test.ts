/**
 * The fleet overview in real Chromium against a live collector: a few hundred nodes written as
 * the SDK writes them, some then stale and some offline, on a database and a collector of their
 * own (a collector remembers a node that went, as offline, for an hour, which would reach the
 * other browser tests' services). Saves `docs/screenshots/pulse-overview.png`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { Browser } from 'playwright-core';
import { testIds } from 'gravito-quasar-app/src/components/testIds';
import { templateBeat, writeFleet } from '../../collector/bench/fleet';
import { describeWithChromium, launchChromium } from '../../testing/chromium';
import { startCollectorProcess } from '../../testing/quasar-collector';
import { claimDatabase, describeWithRedis, eventually } from '../../testing/redis';
import { startPulseWeb } from '../src/server';
import { API_TOKEN } from './fleet';

const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
/** A few hundred nodes over a dozen services: past the overview's threshold. */
const OVERVIEW_NODES = 360;
const OVERVIEW_SERVICES = 12;

const describeBrowser = describeWithRedis === describe ? describeWithChromium() : describeWithRedis;

describeBrowser('the fleet overview in Chromium against a live collector', () => {
  let browser: Browser;
  /** Page errors; every test expects none. */
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  it('shows a few hundred nodes as the fleet overview, services side by side; a tile opens its card', async () => {
    const redisUrl = await claimDatabase();
    const redis = new Redis(redisUrl);
    const collector = await startCollectorProcess({
      redisUrl,
      apiToken: API_TOKEN,
      refreshIntervalMs: 1000,
    });
    const web = await startPulseWeb({
      collectorUrl: collector.url,
      apiToken: API_TOKEN,
      role: 'Viewer',
      port: 0,
    });
    try {
      // Every node watches the same `emails` queue, which its service's row counts once.
      const emails = {
        name: 'emails',
        driver: 'bullmq',
        size: { waiting: 3, active: 1, delayed: 0, failed: 2 },
        observedAt: Date.now(),
      };
      const keys = await writeFleet(
        redis,
        { ...(await templateBeat(redisUrl)), interval: 60_000, queues: [emails] },
        OVERVIEW_NODES,
        OVERVIEW_SERVICES,
      );
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.on('pageerror', (error) => errors.push(error.message));
      const streams: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/api/pulse/stream')) streams.push(request.url());
      });
      await page.goto(`${web.appUrl}?theme=dark`);
      const root = page.getByTestId(testIds.overview.root);
      // Every row counts its nodes, each a tile painted on the row's canvas.
      const nodesShown = async () =>
        (await root.getByTestId(testIds.overview.nodeCount).allTextContents()).reduce(
          (sum, text) => sum + Number.parseInt(text.replace(/,/g, ''), 10),
          0,
        );
      // Above the threshold, the page opens on the overview: every node a tile.
      await eventually(
        async () => ((await nodesShown()) === OVERVIEW_NODES ? true : undefined),
        20_000,
        'every node as a tile',
      );
      // The stream the overview reads from: the last opened so far. One opened before the
      // collector's first read of the fleet (no nodes yet: cards, whole nodes) may precede it.
      const overviewStreams = Math.max(0, streams.length - 1);

      // Then some nodes go stale (their key as if written 130 s ago: two intervals and more) and
      // some offline (their key gone while the collector remembers them).
      const stale = keys.filter((_, i) => i % 23 === 5);
      const offline = keys.filter((_, i) => i % 31 === 7);
      for (const key of stale) await redis.pexpire(key, 50_000);
      await redis.del(...offline);
      const group = (service: string) =>
        root.getByTestId(testIds.overview.group).and(page.locator(`[data-service="${service}"]`));
      const inSvc5 = (list: string[]) => list.filter((key) => key.includes(':svc-5:')).length;
      const svc5 = [
        `${OVERVIEW_NODES / OVERVIEW_SERVICES - inSvc5(stale) - inSvc5(offline)} online`,
        `${inSvc5(stale)} stale`,
        `${inSvc5(offline)} offline`,
      ];
      await eventually(
        async () => {
          const counts = await group('svc-5')
            .getByTestId(testIds.overview.statusCount)
            .allTextContents();
          return counts.join() === svc5.join() ? true : undefined;
        },
        20_000,
        `svc-5 to count ${svc5.join(', ')}`,
      );
      expect(await nodesShown()).toBe(OVERVIEW_NODES);
      expect(await root.getByTestId(testIds.overview.tileCanvas).count()).toBe(OVERVIEW_SERVICES);
      expect(
        await root
          .getByTestId(testIds.overview.group)
          .evaluateAll((all) => all.map((g) => g.getAttribute('data-service'))),
      ).toEqual(Array.from({ length: OVERVIEW_SERVICES }, (_, i) => `svc-${i}`));
      // A 1,400 px window holds several services side by side, where cards showed one and a half.
      const tops = await root
        .getByTestId(testIds.overview.group)
        .evaluateAll((all) => all.map((g) => Math.round(g.getBoundingClientRect().top)));
      expect(tops.filter((top) => top === tops[0]).length).toBeGreaterThanOrEqual(4);
      expect(
        await group('svc-0').getByTestId(testIds.overview.tile).first().getAttribute('aria-label'),
      ).toMatch(/^node-0-1000, online, CPU 0%, memory \d+(\.\d)?%$/);
      expect(
        await group('svc-0').getByTestId(testIds.overview.queueTotal).allTextContents(),
      ).toEqual(['3 waiting', '1 active', '2 failed', '0 delayed']);

      await page.screenshot({ path: join(SCREENSHOTS, 'pulse-overview.png') });

      // The keyboard walks a row's tiles; each is painted filled to its CPU figure, to the pixel.
      const current = group('svc-0').getByTestId(testIds.overview.tile);
      const canvas = group('svc-0').getByTestId(testIds.overview.tileCanvas);
      await current.focus();
      const fills: { cpu: number; painted: number }[] = [];
      for (let i = 0; i < 8; i++) {
        const label = (await current.getAttribute('aria-label')) ?? '';
        const cpu = Number(/CPU (\d+(?:\.\d)?)%/.exec(label)?.[1]);
        const at = await current.evaluate((el) => ({
          x: Number.parseFloat((el as HTMLElement).style.left),
          y: Number.parseFloat((el as HTMLElement).style.top),
        }));
        // Opaque pixels down the tile's middle column: the fill (the rest is a faint tint).
        const painted = await canvas.evaluate((el, { x, y }) => {
          const c = el as HTMLCanvasElement;
          const ratio = c.width / c.getBoundingClientRect().width;
          const data = c
            .getContext('2d')!
            .getImageData(
              Math.round((x + 6) * ratio),
              Math.round(y * ratio),
              1,
              Math.round(12 * ratio),
            ).data;
          let opaque = 0;
          for (let p = 3; p < data.length; p += 4) if (data[p] === 255) opaque++;
          return opaque / ratio;
        }, at);
        fills.push({ cpu, painted });
        await page.keyboard.press('ArrowRight');
      }
      for (const { cpu, painted } of fills) expect(painted).toBe(Math.round((cpu * 12) / 100));
      expect(new Set(fills.map((f) => f.painted)).size).toBeGreaterThan(1);

      // Enter on a focused tile opens the node's own card under its row: the third, two keys on.
      const tile = group('svc-3').getByTestId(testIds.overview.tile);
      await tile.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      const id = await tile.getAttribute('data-node-id');
      expect(id).not.toBeNull();
      await page.keyboard.press('Enter');
      // The tiles hold summaries, which the page asked for; the card reads its whole node, queues too.
      const read = streams.slice(overviewStreams);
      expect(read.length).toBeGreaterThan(0);
      expect(read.every((url) => new URL(url).searchParams.get('fields') === 'summary')).toBe(true);
      const card = group('svc-3').getByTestId(testIds.nodeCard.card);
      await card.waitFor();
      expect(await card.getAttribute('data-node-id')).toBe(id);
      const queue = card.getByTestId(testIds.queueSection.queue);
      await queue.waitFor();
      expect(await queue.getAttribute('data-queue')).toBe('emails');
      await page.getByTestId(testIds.overview.close).click();
      await card.waitFor({ state: 'detached' });

      // A click on a painted tile opens its node's card: the fifth tile of svc-2's first row.
      await group('svc-2')
        .getByTestId(testIds.overview.tileCanvas)
        .click({ position: { x: 3 + 4 * 14 + 6, y: 3 + 6 } });
      const clicked = group('svc-2').getByTestId(testIds.nodeCard.card);
      await clicked.waitFor();
      const onTile = group('svc-2').getByTestId(testIds.overview.tile);
      expect(await clicked.getAttribute('data-node-id')).toBe(
        await onTile.getAttribute('data-node-id'),
      );
      expect(await onTile.evaluate((el) => (el as HTMLElement).style.left)).toBe(`${3 + 4 * 14}px`);
      await page.close();
    } finally {
      await web.close();
      await collector.stop();
      redis.disconnect();
    }
  });
});
