/**
 * Time for Chromium to apply a full update of 10,000 nodes on the Pulse page: every node beats
 * again with new CPU and memory figures (each round moves every node's figures, so every tile and
 * card shows something new), the collector's stream carries the new snapshot, and the page
 * renders it. Measured
 * from the `pulse` event's arrival to the end of React's commit (and to the next frame), with
 * React's Profiler, on the real page as it opens: past `OVERVIEW_THRESHOLD` nodes that is the
 * fleet overview (a tile per node, service rows with queue totals), below it the cards (queue
 * sections with failed jobs and actions). Reference, same run, same data path: the same nodes
 * as one plain table row each. Then, for continuity with the earlier figures, the cards at
 * 1,000 nodes (chosen in the toolbar, as a user would) against the same reference.
 *
 *   npm run bench -w pulse-web
 *   (BENCH_NODES, BENCH_CARDS_NODES — 0 skips the cards —, BENCH_RUNS, BENCH_ROUNDS,
 *   BENCH_REFRESH_MS)
 */
import type { Browser, Page } from 'playwright-core';
import Redis from 'ioredis';
import type { Heartbeat, QueueSnapshot } from '@gravito/quasar/schema';
import { median, round } from '../../collector/bench/stats';
import { templateBeat } from '../../collector/bench/fleet';
import { launchChromium } from '../../testing/chromium';
import { startCollectorProcess } from '../../testing/quasar-collector';
import { startRedisServer } from '../../testing/redis-server';
import { testIds } from 'gravito-quasar-app/src/components/testIds';
import { resolveLayout } from 'gravito-quasar-app/src/pages/Pulse/layout';
import { startPulseWeb } from '../src/server';
import { writeShiftingFleet } from './shifting-fleet';

const NODES = Number(process.env.BENCH_NODES ?? 10_000);
const CARDS_NODES = Number(process.env.BENCH_CARDS_NODES ?? 1000);
const SERVICES = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
/**
 * The collector's refresh. A full snapshot of 10,000 nodes is about 12 MB, and the collector
 * drops a stream client with more than 1 MiB unsent; at a tick of a few seconds the reference
 * page, still rendering the last snapshot, is dropped on this kind of machine. A longer tick
 * only spaces the rounds out: each is timed from its event's arrival.
 */
const REFRESH_MS = Number(process.env.BENCH_REFRESH_MS ?? (NODES > 2000 ? 8000 : 1000));
const GOAL_MS = 200;

/** A queue like the one a BullMQ worker reports, with failed jobs and actions, on every card. */
function queueOf(now: number): QueueSnapshot {
  return {
    name: 'emails',
    driver: 'bullmq',
    size: { waiting: 120, active: 4, delayed: 7, failed: 3, completed: 5400 },
    failedSample: [1, 2, 3].map((i) => ({
      id: String(i),
      name: 'welcome-email',
      failedAt: now - i * 60_000,
      reason: 'SMTP 550: mailbox unavailable',
    })),
    oldestWaitingAgeMs: 45_000,
    actions: ['retry', 'delete'],
    observedAt: now,
  };
}

interface Round {
  commitMs: number;
  frameMs: number;
  renderMs: number;
}

/** A full update's timestamp (also its marker) and its round, which sets every node's figures. */
interface Tick {
  stamp: number;
  round: number;
}

/**
 * One full update: rewrite every node with a new timestamp and new figures, then time the page
 * applying it.
 */
async function fullUpdate(page: Page, redis: Redis, fleet: Fleet, tick: Tick): Promise<Round> {
  const { stamp } = tick;
  await page.evaluate(`window.quasarMarker = ${JSON.stringify(String(stamp))}`);
  const from = await page.evaluate<number>('window.quasarTimings.events.length');
  // The stamp is also the hosts' memory total: a summary (the overview's stream) carries no
  // timestamp, so that is where the page's profiler finds the round's marker.
  const { memory } = fleet.template;
  await writeShiftingFleet(
    redis,
    {
      ...fleet.template,
      memory: { ...memory, system: { ...memory.system, total: stamp } },
      queues: [queueOf(stamp)],
    },
    fleet.nodes,
    SERVICES,
    tick.round,
    stamp,
  );
  // Plain-string expressions: the page's own code (src/page/profiler.ts) does the waiting.
  return page.evaluate<Round>(`window.quasarAwaitMarked(${from}, ${REFRESH_MS * 4})`);
}

/** The fleet a phase writes: `nodes` copies of the template over {@link SERVICES} services. */
interface Fleet {
  template: Heartbeat;
  nodes: number;
}

/** What the page under test shows, and how to get it there once loaded. */
interface View {
  url: string;
  /** Elements that appear once the nodes are shown; their count is reported. */
  ready: string;
  /** Counts the nodes shown when the elements do not (the overview paints its tiles). */
  count?: (page: Page) => Promise<number>;
  /** A toolbar choice to make before measuring. */
  choose?: string;
}

async function measure(
  browser: Browser,
  view: View,
  redis: Redis,
  fleet: Fleet,
  ticks: () => Tick,
) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const open = async () => {
    await page.goto(view.url);
    if (view.choose) {
      await page.getByRole('radio', { name: view.choose }).click({ timeout: 120_000 });
    }
    await page.locator(view.ready).first().waitFor({ timeout: 120_000 });
  };
  await open();
  let drops = 0;
  const round = async (): Promise<Round> => {
    for (;;) {
      try {
        return await fullUpdate(page, redis, fleet, ticks());
      } catch (error) {
        // The collector dropped the stream (over 1 MiB unsent) and the page went on polling,
        // which the profiler does not time: counted, and the page reopened.
        if (++drops > ROUNDS) throw error;
        await open();
      }
    }
  };
  const rounds: Round[] = [];
  await round(); // warm-up
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round());
  const shown = view.count ? await view.count(page) : await page.locator(view.ready).count();
  await page.close();
  return { rounds, shown, drops };
}

const testId = (id: string) => `[data-testid="${id}"]`;
const m = (rounds: Round[], key: keyof Round) => round(median(rounds.map((r) => r[key])));

/** `RUNS` alternating runs of the page's view and the reference, on the fleet now in Redis. */
async function compare(
  browser: Browser,
  page: View,
  reference: View,
  redis: Redis,
  fleet: Fleet,
  ticks: () => Tick,
) {
  const pulse: Round[] = [];
  const plain: Round[] = [];
  let shown = 0;
  const drops = { pulse: 0, reference: 0 };
  for (let run = 0; run < RUNS; run++) {
    const p = await measure(browser, page, redis, fleet, ticks);
    shown = p.shown;
    pulse.push(...p.rounds);
    drops.pulse += p.drops;
    const r = await measure(browser, reference, redis, fleet, ticks);
    plain.push(...r.rounds);
    drops.reference += r.drops;
  }
  return {
    nodes: fleet.nodes,
    shown,
    rounds: pulse.length,
    pulseCommitMs: m(pulse, 'commitMs'),
    pulseFrameMs: m(pulse, 'frameMs'),
    pulseReactRenderMs: m(pulse, 'renderMs'),
    referenceCommitMs: m(plain, 'commitMs'),
    referenceFrameMs: m(plain, 'frameMs'),
    referenceReactRenderMs: m(plain, 'renderMs'),
    ratioCommit: round(m(pulse, 'commitMs') / m(plain, 'commitMs'), 2),
    ratioFrame: round(m(pulse, 'frameMs') / m(plain, 'frameMs'), 2),
    streamDrops: drops,
  };
}

/** The collector's nodes reply: how many nodes, and its size in bytes (one stream event's). */
async function nodesReply(url: string): Promise<{ nodes: number; bytes: number }> {
  const response = await fetch(`${url}/api/pulse/nodes`, {
    headers: { authorization: 'Bearer bench' },
  });
  const text = await response.text();
  const reply = JSON.parse(text) as { nodes?: Record<string, unknown[]> };
  const nodes = Object.values(reply.nodes ?? {}).reduce((sum, list) => sum + list.length, 0);
  return { nodes, bytes: Buffer.byteLength(text) };
}

/** Waits until the collector's nodes reply holds `count` nodes; returns its size in bytes. */
async function collectorServes(url: string, count: number): Promise<number> {
  const deadline = Date.now() + REFRESH_MS * 30;
  for (;;) {
    const { nodes, bytes } = await nodesReply(url);
    if (nodes === count) return bytes;
    if (Date.now() > deadline) throw new Error(`the collector serves ${nodes} nodes, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, REFRESH_MS / 4));
  }
}

/** A collector and a page server of their own, so a phase starts with no node remembered. */
async function withStack<T>(
  redisUrl: string,
  refreshIntervalMs: number,
  body: (stack: { collectorUrl: string; appUrl: string; referenceUrl: string }) => Promise<T>,
): Promise<T> {
  const collector = await startCollectorProcess({ redisUrl, apiToken: 'bench', refreshIntervalMs });
  const web = await startPulseWeb({
    collectorUrl: collector.url,
    apiToken: 'bench',
    role: 'Editor',
    port: 0,
  });
  try {
    // Signed in as the Editor, through the sign-in URL, so the cards carry their action buttons.
    const token = new URL(web.signInUrl!).searchParams.get('token')!;
    return await body({
      collectorUrl: collector.url,
      appUrl: `${web.appUrl}?profile=1&token=${encodeURIComponent(token)}`,
      referenceUrl: `${web.url}/reference?profile=1`,
    });
  } finally {
    await web.close();
    await collector.stop();
  }
}

const print = (result: unknown) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

async function main(): Promise<void> {
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  const browser = await launchChromium();
  try {
    const template = await templateBeat(server.url);
    const tick: Tick = { stamp: Date.now(), round: 0 };
    const ticks = (): Tick => ({ stamp: (tick.stamp += 1000), round: (tick.round += 1) });
    const reference = (url: string): View => ({ url, ready: '[data-testid="reference-list"] tr' });

    // The page as it opens on the whole fleet: the layout `auto` picks for its size.
    const fleet = { template, nodes: NODES };
    await writeShiftingFleet(
      redis,
      { ...template, queues: [queueOf(tick.stamp)] },
      NODES,
      SERVICES,
      tick.round,
      tick.stamp,
    );
    const layout = resolveLayout('auto', NODES);
    const overview = layout === 'overview';
    const ready = testId(overview ? testIds.overview.tileCanvas : testIds.nodeCard.card);
    // The overview paints its tiles: its rows' node counts say how many are shown.
    const count = async (page: Page) =>
      (await page.locator(testId(testIds.overview.nodeCount)).allTextContents()).reduce(
        (sum, text) => sum + Number.parseInt(text.replace(/,/g, ''), 10),
        0,
      );
    await withStack(server.url, REFRESH_MS, async (stack) => {
      const snapshotBytes = await collectorServes(stack.collectorUrl, NODES);
      const view = { url: stack.appUrl, ready, count: overview ? count : undefined };
      const opened = await compare(
        browser,
        view,
        reference(stack.referenceUrl),
        redis,
        fleet,
        ticks,
      );
      print({
        layout,
        snapshotBytes,
        refreshMs: REFRESH_MS,
        ...opened,
        goalMs: GOAL_MS,
        goalMet: opened.pulseFrameMs <= GOAL_MS,
      });
    });

    // The cards on a smaller fleet, for continuity with the figures before the overview, on a
    // new collector: the first would list the 9,000 vanished nodes as offline for an hour.
    if (CARDS_NODES > 0) {
      await redis.flushdb();
      const small = { template, nodes: CARDS_NODES };
      const refresh = Number(process.env.BENCH_REFRESH_MS ?? 1000);
      await writeShiftingFleet(
        redis,
        { ...template, queues: [queueOf(tick.stamp)] },
        CARDS_NODES,
        SERVICES,
        tick.round,
        tick.stamp,
      );
      await withStack(server.url, refresh, async (stack) => {
        const snapshotBytes = await collectorServes(stack.collectorUrl, CARDS_NODES);
        const view = { url: stack.appUrl, ready: testId(testIds.nodeCard.card), choose: 'Cards' };
        const cards = await compare(
          browser,
          view,
          reference(stack.referenceUrl),
          redis,
          small,
          ticks,
        );
        print({ layout: 'cards', snapshotBytes, refreshMs: refresh, ...cards });
      });
    }
  } finally {
    await browser.close();
    redis.disconnect();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
