/**
 * Time for Chromium to apply a full update of 1,000 nodes on the Pulse page: every node beats
 * again, the collector's stream carries the new snapshot, and the page renders it. Measured
 * from the `pulse` event's arrival to the end of React's commit (and to the next frame), with
 * React's Profiler, on the real page (cards, queue sections with failed jobs and actions).
 * Reference, same run, same data path: the same nodes as one plain table row each.
 *
 *   npm run bench -w pulse-web      (BENCH_NODES, BENCH_RUNS, BENCH_ROUNDS to change the size)
 */
import type { Browser, Page } from 'playwright-core';
import Redis from 'ioredis';
import type { Heartbeat, QueueSnapshot } from '@gravito/quasar/schema';
import { median, round } from '../../collector/bench/stats';
import { templateBeat, writeFleet } from '../../collector/bench/fleet';
import { launchChromium } from '../../testing/chromium';
import { startCollectorProcess } from '../../testing/quasar-collector';
import { startRedisServer } from '../../testing/redis-server';
import { startPulseWeb } from '../src/server';

const NODES = Number(process.env.BENCH_NODES ?? 1000);
const SERVICES = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const REFRESH_MS = 1000;
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

/** One full update: rewrite every node with a new timestamp, then time the page applying it. */
async function fullUpdate(
  page: Page,
  redis: Redis,
  template: Heartbeat,
  stamp: number,
): Promise<Round> {
  await page.evaluate(`window.quasarMarker = ${JSON.stringify(String(stamp))}`);
  const from = await page.evaluate<number>('window.quasarTimings.events.length');
  await writeFleet(redis, { ...template, queues: [queueOf(stamp)] }, NODES, SERVICES, stamp);
  // Plain-string expressions: the page's own code (src/page/profiler.ts) does the waiting.
  return page.evaluate<Round>(`window.quasarAwaitMarked(${from}, ${REFRESH_MS * 10})`);
}

async function measure(
  browser: Browser,
  url: string,
  ready: string,
  redis: Redis,
  template: Heartbeat,
  stamps: () => number,
) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(url);
  await page.locator(ready).first().waitFor({ timeout: 30_000 });
  const rounds: Round[] = [];
  await fullUpdate(page, redis, template, stamps()); // warm-up
  for (let i = 0; i < ROUNDS; i++) rounds.push(await fullUpdate(page, redis, template, stamps()));
  const cards = await page.locator(ready).count();
  await page.close();
  return { rounds, cards };
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  const collector = await startCollectorProcess({
    redisUrl: server.url,
    apiToken: 'bench',
    refreshIntervalMs: REFRESH_MS,
  });
  const web = await startPulseWeb({
    collectorUrl: collector.url,
    apiToken: 'bench',
    role: 'Editor',
    port: 0,
  });
  // Signed in as the Editor, through the sign-in URL, so the cards carry their action buttons.
  const token = new URL(web.signInUrl!).searchParams.get('token')!;
  const browser = await launchChromium();
  try {
    const template = await templateBeat(server.url);
    let stamp = Date.now();
    const stamps = () => (stamp += 1000);
    await writeFleet(redis, { ...template, queues: [queueOf(stamp)] }, NODES, SERVICES, stamp);
    const pulse: Round[] = [];
    const reference: Round[] = [];
    let cards = 0;
    for (let run = 0; run < RUNS; run++) {
      const p = await measure(
        browser,
        `${web.appUrl}?profile=1&token=${encodeURIComponent(token)}`,
        '[data-testid="data-testid nc-card"]',
        redis,
        template,
        stamps,
      );
      cards = p.cards;
      pulse.push(...p.rounds);
      reference.push(
        ...(
          await measure(
            browser,
            `${web.url}/reference?profile=1`,
            '[data-testid="reference-list"] tr',
            redis,
            template,
            stamps,
          )
        ).rounds,
      );
    }
    const m = (rounds: Round[], key: keyof Round) => round(median(rounds.map((r) => r[key])));
    const result = {
      nodes: NODES,
      cardsRendered: cards,
      rounds: pulse.length,
      pulseCommitMs: m(pulse, 'commitMs'),
      pulseFrameMs: m(pulse, 'frameMs'),
      pulseReactRenderMs: m(pulse, 'renderMs'),
      referenceCommitMs: m(reference, 'commitMs'),
      referenceFrameMs: m(reference, 'frameMs'),
      ratioCommit: round(m(pulse, 'commitMs') / m(reference, 'commitMs'), 2),
      goalMs: GOAL_MS,
      goalMet: m(pulse, 'frameMs') < GOAL_MS,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await browser.close();
    await web.close();
    await collector.stop();
    redis.disconnect();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
