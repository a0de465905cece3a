/**
 * Remote-control commands: the round trip of one signed `RETRY_JOB` through a real
 * `QuasarAgent`, against the bare minimum of the same round trip without Quasar.
 *
 * A private `redis-server` holds a plain `redis` list queue, `jobs`. Per command, the driver
 * `LPUSH`es one failed element on `jobs:failed`, PUBLISHes a signed `RETRY_JOB` of it on the
 * agent's channel and awaits the result the agent PUBLISHes on the results channel: parse,
 * HMAC check, freshness/target/queue checks, `SET NX` claim, the executor's `LRANGE` and
 * script, `SET` of the result and its PUBLISH. The reference (`command-reference.ts`) gets the
 * same message and moves the element in one `MULTI`, then PUBLISHes a small result. Agent,
 * reference and driver share this process, so CPU is the whole process's per command; the
 * driver's share (signing included) is the same on both sides.
 *
 * Both subjects run in each round, in a shuffled order; the median round counts. The last
 * stdout line is one JSON object. Exits non-zero when the goal is missed or a command fails.
 */
import Redis from 'ioredis';
import { startRedisServer } from '../../testing/redis-server';
import { QuasarAgent } from '../src';
import type { QuasarLogger } from '../src';
import { listKeys } from '../src/queues/drivers/redis/keys';
import { verifyCommand } from '../src/commands/signature';
import { QuasarKeys } from '../src/schema/keys';
import { failedElement, newJobId, QUEUE, ResultWaiter, retryCommand } from './command-fixtures';
import { REFERENCE_CHANNELS, startBareExecutor } from './command-reference';
import { measureSync, median } from './cpu-clock';
import { measureRounds, ratios } from './probe-report';
import type { Medians, Subject } from './probe-report';
import { measureBatch } from './redis-cost';

/**
 * The full command path may take at most this many times the bare round trip, in wall time.
 * It waits for 5 agent round trips in sequence (claim, `LRANGE`, script, `SET`, PUBLISH)
 * where the reference waits for 2 (`MULTI`…`EXEC`, PUBLISH); with the driver's 2 and the 2
 * deliveries both share, that is ≈ 9 against 6 waits, ≈ 1.5×. Runs on two shared cores
 * measured 1.5–2.1×; 2.5× leaves room for that noise and still fails on a few more round
 * trips per command, or on a check that costs as much as one.
 */
const GOAL_WALL = 2.5;
/** And at most this many times its process CPU (driver and agent, or driver and reference). */
const GOAL_CPU = 2.5;
const TOKEN = 'bench-remote-control-token';
const SERVICE = 'bench';
const QUASAR = 'quasar retry';
const BARE = 'bare reference';
const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** One command: a failed element in, the command out, its result awaited and checked. */
function commandOp(redis: Redis, waiter: ResultWaiter, channel: string, nodeId: string) {
  const { failed } = listKeys(QUEUE);
  return async () => {
    const jobId = newJobId();
    await redis.lpush(failed, failedElement(jobId));
    const result = waiter.resultOf(jobId);
    await redis.publish(channel, JSON.stringify(retryCommand(nodeId, jobId, TOKEN)));
    const { status, reason } = await result;
    if (status !== 'succeeded') throw new Error(`command ${jobId} ${status}: ${reason ?? ''}`);
  };
}

/** Median µs of one `verifyCommand()` of a valid command, in sync loops of `ops`. */
function verifyCost(rounds: number, ops: number): { cpuUs: number; wallUs: number } {
  const command = retryCommand('node-1', newJobId(), TOKEN);
  measureSync(() => verifyCommand(command, TOKEN), ops);
  const costs = Array.from({ length: rounds }, () =>
    measureSync(() => verifyCommand(command, TOKEN), ops),
  );
  return { cpuUs: median(costs.map((c) => c.cpuUs)), wallUs: median(costs.map((c) => c.wallUs)) };
}

async function main(): Promise<number> {
  const rounds = positiveInt('BENCH_ROUNDS', 7);
  const ops = positiveInt('BENCH_OPS', 200);
  const warmupOps = positiveInt('BENCH_WARMUP', 300);

  const server = await startRedisServer();
  const [redis, results, bareSub, bareRedis, stats] = Array.from(
    { length: 5 },
    () => new Redis(server.url, { lazyConnect: true }),
  ) as [Redis, Redis, Redis, Redis, Redis];
  const agent = new QuasarAgent({
    service: SERVICE,
    name: 'bench-node',
    interval: 60_000,
    logger: silent,
    otel: { enabled: false },
    transport: { url: server.url },
  });
  const failures: string[] = [];
  let result: Record<string, unknown>;
  try {
    await Promise.all([redis, results, bareSub, bareRedis, stats].map((c) => c.connect()));
    agent.monitorQueue(QUEUE, 'redis');
    await agent.enableRemoteControl({ queues: { [QUEUE]: ['retry'] }, token: TOKEN });
    await agent.start();
    await startBareExecutor(bareSub, bareRedis);
    const waiter = new ResultWaiter(results);
    await waiter.listen(QuasarKeys.commandResultsChannel, REFERENCE_CHANNELS.results);

    const nodeId = agent.getNodeId();
    const node = QuasarKeys.commandChannel(SERVICE, nodeId);
    const subjects: Subject[] = [
      { name: QUASAR, op: commandOp(redis, waiter, node, nodeId) },
      { name: BARE, op: commandOp(redis, waiter, REFERENCE_CHANNELS.commands, nodeId) },
    ];
    for (const subject of subjects) await measureBatch(subject.op, warmupOps, stats);
    const medians = await measureRounds(subjects, rounds, ops, stats);
    const left = await redis.llen(listKeys(QUEUE).failed);
    if (left !== 0) failures.push(`${left} failed jobs were left behind`);
    printPerCommand(medians, rounds, ops);

    const at = (name: string): Medians => medians.get(name) as Medians;
    const vsBare = ratios(at(QUASAR), at(BARE));
    console.log(
      `\nquasar retry ÷ bare reference: process cpu ${vsBare.cpuUs.toFixed(3)}, redis cpu ${vsBare.redisCpuUs.toFixed(3)}, wall ${vsBare.wallUs.toFixed(3)}`,
    );
    const verify = verifyCost(rounds, 20_000);
    console.log(`\nverifyCommand() alone: ${verify.cpuUs.toFixed(2)} CPU µs per call`);

    for (const [metric, what, goal] of [
      ['wallUs', 'wall time', GOAL_WALL],
      ['cpuUs', 'process CPU', GOAL_CPU],
    ] as const) {
      if (vsBare[metric] > goal) {
        failures.push(
          `a command costs ${vsBare[metric].toFixed(3)}x the bare round trip in ${what}; the goal is at most ${goal}x`,
        );
      }
    }
    result = {
      quasar_vs_bare: {
        process_cpu: round(vsBare.cpuUs, 3),
        redis_cpu: round(vsBare.redisCpuUs, 3),
        wall: round(vsBare.wallUs, 3),
      },
      per_command: Object.fromEntries(
        [...medians].map(([name, m]) => [
          name.replace(/ /g, '_'),
          {
            process_cpu_us: round(m.cpuUs),
            redis_cpu_us: round(m.redisCpuUs),
            wall_us: round(m.wallUs),
            commands: round(m.commands),
          },
        ]),
      ),
      verify_command_us: round(verify.cpuUs, 2),
      goal_wall: GOAL_WALL,
      goal_process_cpu: GOAL_CPU,
      pass: failures.length === 0,
      rounds,
      ops_per_round: ops,
      warmup_ops: warmupOps,
      node: process.version,
    };
  } finally {
    await agent.stop().catch(() => undefined);
    for (const c of [redis, results, bareSub, bareRedis, stats]) {
      await c.quit().catch(() => c.disconnect());
    }
    await server.stop();
  }

  console.log('');
  for (const failure of failures) console.log(`FAIL: ${failure}`);
  if (failures.length === 0) {
    console.log(
      `PASS: a remote retry costs ≤ ${GOAL_WALL}x the bare round trip in wall time and ≤ ${GOAL_CPU}x in process CPU`,
    );
  }
  console.log(JSON.stringify(result));
  return failures.length === 0 ? 0 : 1;
}

/** One row of medians per subject; CPU is the whole process's: driver, agent and reference. */
function printPerCommand(medians: Map<string, Medians>, rounds: number, ops: number): void {
  console.log(`\nPer command, median of ${rounds} rounds (${ops} commands of each per round)`);
  console.log(
    `${'subject'.padEnd(18)}${'process cpu µs'.padStart(16)}${'redis cpu µs'.padStart(14)}${'wall µs'.padStart(11)}${'commands'.padStart(10)}`,
  );
  for (const [name, m] of medians) {
    const cells = [
      [m.cpuUs, 16],
      [m.redisCpuUs, 14],
      [m.wallUs, 11],
      [m.commands, 10],
    ] as const;
    console.log(`${name.padEnd(18)}${cells.map(([n, w]) => n.toFixed(1).padStart(w)).join('')}`);
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
