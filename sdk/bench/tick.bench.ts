/**
 * Heartbeat tick vs prom-client scrape, in CPU time per operation.
 *
 * One tick is what `QuasarAgent` does each interval: sample, build, serialise, write to a
 * private Redis and await the reply. The reference is prom-client's default metrics rendered
 * with `register.metrics()`, the cost a Prometheus scrape puts on a Node process. Both are
 * warmed up, then measured in interleaved rounds; the median round is reported, so one noisy
 * round on a shared machine does not move the result.
 *
 * With BENCH_JOBS_PER_SECOND=n, each tick also counts one interval's share of a worker
 * finishing n jobs a second (`instrumentBullMQWorker`'s path) and carries the counts in `jobs`;
 * the reference then counts the same jobs with prom-client (a counter and two histograms) and
 * renders them with its scrape: the goal compares equal work. The tick is also compared with
 * the scrape alone (`ratio_to_scrape_only`).
 *
 * The last stdout line is one JSON object. Exits non-zero when the tick costs more than
 * GOAL_RATIO of a scrape, or when anything on the tick path started a process.
 */
import Redis from 'ioredis';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { startRedisServer } from '../../testing/redis-server';
import { connectionDefaults } from '../src/transport/connection';
import { measureAsync, median } from './cpu-clock';
import type { OpCost } from './cpu-clock';
import { createHeartbeatTick } from './heartbeat-tick';
import { createJobTraffic } from './job-traffic';
import { createPromClientJobs } from './prom-client-jobs';
import { DEFAULTS } from '../src/options/defaults';
import { measureBreakdown } from './tick-breakdown';
import { SpawnCounter } from './spawn-counter';

/** The tick may cost at most this fraction of a prom-client scrape. */
const GOAL_RATIO = 0.5;
const TICK = 'tick';
const SCRAPE = 'prom-client';

function positiveInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const cell = (n: number, width = 12) => n.toFixed(1).padStart(width);

interface Round {
  tick: OpCost;
  scrape: OpCost;
}

function printRounds(rounds: Round[], ops: number): void {
  console.log(`\nCPU and wall time per operation, µs (${ops} ops of each per round)`);
  console.log(
    `round  ${'tick cpu'.padStart(12)}${'prom cpu'.padStart(12)}${'ratio'.padStart(8)}${'tick wall'.padStart(12)}${'prom wall'.padStart(12)}`,
  );
  rounds.forEach(({ tick, scrape }, i) => {
    const ratio = (tick.cpuUs / scrape.cpuUs).toFixed(3).padStart(8);
    console.log(
      `${String(i + 1).padStart(5)}  ${cell(tick.cpuUs)}${cell(scrape.cpuUs)}${ratio}${cell(tick.wallUs)}${cell(scrape.wallUs)}`,
    );
  });
}

async function main(): Promise<number> {
  const rounds = positiveInt('BENCH_ROUNDS', 9);
  const ops = positiveInt('BENCH_OPS', 200);
  // With 200 ops the first rounds were still compiling (CPU above wall time: background JIT
  // threads). Even after longer warm-ups the first round runs high, so only the median counts.
  const warmupOps = positiveInt('BENCH_WARMUP', 1000);

  const server = await startRedisServer();
  // Installed after the server starts, so only what the measured code spawns is counted.
  const spawns = new SpawnCounter();
  spawns.install();
  const client = new Redis(server.url, connectionDefaults('transport'));
  const jobsPerSecond = positiveInt('BENCH_JOBS_PER_SECOND', 0, 0);
  const traffic =
    jobsPerSecond > 0 ? createJobTraffic(jobsPerSecond, DEFAULTS.intervalMs) : undefined;
  const tick = createHeartbeatTick(
    client,
    'bench',
    traffic ? () => traffic.recorder.snapshot() : undefined,
  );
  const register = new Registry();
  collectDefaultMetrics({ register });
  const promJobs = traffic ? createPromClientJobs(register, traffic.perTick) : undefined;

  let result: Record<string, unknown>;
  const failures: string[] = [];
  try {
    await client.connect();
    let lastHeartbeat = await tick.run();
    const runTick = () =>
      spawns.during(TICK, async () => {
        traffic?.deliver();
        lastHeartbeat = await tick.run();
      });
    const scrape = () =>
      spawns.during(SCRAPE, () => {
        promJobs?.deliver();
        return register.metrics();
      });
    const scrapeOnly = () => register.metrics();

    await measureAsync(runTick, warmupOps);
    await measureAsync(scrape, warmupOps);

    const measured: Round[] = [];
    for (let i = 0; i < rounds; i++) {
      // Alternate which goes first, so neither always inherits the other's garbage.
      if (i % 2 === 0) {
        const tickCost = await measureAsync(runTick, ops);
        measured.push({ tick: tickCost, scrape: await measureAsync(scrape, ops) });
      } else {
        const scrapeCost = await measureAsync(scrape, ops);
        measured.push({ tick: await measureAsync(runTick, ops), scrape: scrapeCost });
      }
    }
    printRounds(measured, ops);
    // The scrape alone, rendering the same series: the strict reading of the goal.
    const scrapeOnlyRuns: number[] = [];
    for (let i = 0; traffic && i < 5; i++) {
      scrapeOnlyRuns.push((await measureAsync(scrapeOnly, ops)).cpuUs);
    }
    const scrapeOnlyCpu = traffic ? median(scrapeOnlyRuns) : undefined;

    const breakdown = await measureBreakdown(client, tick.identity, tick.key, ops);
    // Each step runs in a tight loop with warm caches; a real tick sleeps on the Redis reply in
    // between and pays for cold caches, so the steps add up to less than the tick.
    console.log('\nWhere a tick goes: median CPU µs per call, each step in a warm loop');
    for (const { step, cpuUs } of breakdown.steps)
      console.log(`${step.padEnd(40)}${cell(cpuUs, 10)}`);
    console.log(`\nFiles read by one Sampler.sample(): ${breakdown.filesRead.join(', ')}`);

    const tickCpu = median(measured.map((r) => r.tick.cpuUs));
    const scrapeCpu = median(measured.map((r) => r.scrape.cpuUs));
    const ratio = tickCpu / scrapeCpu;
    const tickSpawns = spawns.startsDuring(TICK);
    if (tickSpawns.length > 0) {
      const list = tickSpawns.map((s) => `${s.via}(${s.file})`).join(', ');
      failures.push(`the tick path started ${tickSpawns.length} process(es): ${list}`);
    }
    if (ratio > GOAL_RATIO) {
      failures.push(
        `tick costs ${ratio.toFixed(3)}x a prom-client scrape (${tickCpu.toFixed(1)} vs ${scrapeCpu.toFixed(1)} CPU µs); the goal is at most ${GOAL_RATIO}x`,
      );
    }
    result = {
      tick_cpu_us: round(tickCpu),
      prom_client_cpu_us: round(scrapeCpu),
      ratio: round(ratio, 3),
      tick_wall_us: round(median(measured.map((r) => r.tick.wallUs))),
      prom_client_wall_us: round(median(measured.map((r) => r.scrape.wallUs))),
      spawned_processes: tickSpawns.length,
      prom_client_spawned_processes: spawns.startsDuring(SCRAPE).length,
      goal_ratio: GOAL_RATIO,
      pass: failures.length === 0,
      ...(scrapeOnlyCpu === undefined
        ? {}
        : {
            scrape_only_cpu_us: round(scrapeOnlyCpu),
            ratio_to_scrape_only: round(tickCpu / scrapeOnlyCpu, 3),
          }),
      jobs_per_second: jobsPerSecond,
      jobs_per_tick: traffic?.perTick ?? 0,
      interval_ms: DEFAULTS.intervalMs,
      rounds,
      ops_per_round: ops,
      warmup_ops: warmupOps,
      payload_bytes: Buffer.byteLength(JSON.stringify(lastHeartbeat)),
      tick_status: lastHeartbeat.runtime.status,
      breakdown_cpu_us: Object.fromEntries(
        breakdown.steps.map((s) => [s.step.trim(), round(s.cpuUs)]),
      ),
      node: process.version,
    };
  } finally {
    await tick.stop().catch(() => undefined);
    await client.quit().catch(() => client.disconnect());
    register.clear();
    spawns.uninstall();
    await server.stop();
  }

  console.log('');
  for (const failure of failures) console.log(`FAIL: ${failure}`);
  if (failures.length === 0) {
    console.log(
      `PASS: tick ≤ ${GOAL_RATIO}x a prom-client scrape, and no process started on the tick path`,
    );
  }
  console.log(JSON.stringify(result));
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
