/**
 * The collector under test, alone in its own process so that its peak RSS is its own: the
 * benchmark's parent writes the fleet and times the raw read, then asks this process for one
 * cycle at a time over IPC. Started by `forkCycleChild` with `QUASAR_BENCH_CYCLE_CHILD=1`.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRedisClient } from '@gravito/quasar';
import { COLLECTOR_DEFAULTS } from '../src/config/options';
import { QuasarCollector } from '../src/cycle/quasar-collector';
import { pointsIn } from '../src/otlp/metric-batch';
import { MetricBatchExporter } from '../src/otlp/metric-exporter';
import { peakRssMb } from './stats';

/** What one cycle did, as the child reports it. */
export interface ChildCycle {
  ms: number;
  /** CPU time of the child during the cycle (user + system), ms: less sensitive to load. */
  cpuMs: number;
  nodes: number;
  points: number;
  exportFailures: number;
}

type FromChild =
  | { type: 'ready'; rssMb: number }
  | ({ type: 'cycled' } & ChildCycle)
  | { type: 'stopped'; peakRssMb: number }
  | { type: 'failed'; error: string };

type ToChild = { type: 'cycle'; countPoints: boolean } | { type: 'stop' };

/** The parent's handle on a child. */
export interface CycleChild {
  /** RSS right after start-up, before any cycle: the process's own floor, MB. */
  readonly startRssMb: number;
  /** One cycle; with `countPoints`, the batch is walked again afterwards to count its points. */
  cycle(countPoints?: boolean): Promise<ChildCycle>;
  /** Ends the child; resolves with its peak RSS (`maxRSS`), MB. */
  stop(): Promise<number>;
}

const silent = { info() {}, warn() {}, error() {} };

/** Runs in the child. */
function serve(): void {
  const send = (message: FromChild) => process.send?.(message);
  // A `redis+cluster://` URL gives the child a cluster client (the cluster benchmark).
  const redis = createRedisClient(process.env.QUASAR_BENCH_REDIS_URL as string);
  const exporter = new MetricBatchExporter('http/protobuf', {
    url: `${process.env.QUASAR_BENCH_RECEIVER_URL as string}/v1/metrics`,
  });
  const collector = new QuasarCollector(
    {
      ...COLLECTOR_DEFAULTS,
      forgetAfterMs: 60_000,
      skipSelfExporting: true,
      consumerName: 'bench',
    },
    { redis, metricExporter: exporter, logger: silent },
  );
  process.on('message', (message: ToChild) => {
    const run = async (): Promise<void> => {
      if (message.type === 'stop') {
        await collector.stop();
        await exporter.shutdown();
        await redis.quit();
        send({ type: 'stopped', peakRssMb: peakRssMb() });
        process.disconnect();
        return;
      }
      const started = performance.now();
      const cpu = process.cpuUsage();
      const snapshot = await collector.cycle({ forceExport: true, awaitExport: true });
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const stats = await collector.stats();
      let points = 0;
      if (message.countPoints) {
        const batch = collector.buildBatch(snapshot);
        for (const resource of batch.resources) points += pointsIn(resource);
      }
      send({
        type: 'cycled',
        ms,
        cpuMs: (used.user + used.system) / 1000,
        nodes: snapshot.nodes.length,
        points,
        exportFailures: stats.exportFailures.metrics,
      });
    };
    run().catch((error: unknown) => send({ type: 'failed', error: String(error) }));
  });
  send({ type: 'ready', rssMb: process.memoryUsage().rss / 2 ** 20 });
}

function childArgs(): string[] {
  const raw = process.env.QUASAR_BENCH_CHILD_ARGS ?? '';
  return raw.split(' ').filter((arg) => arg !== '');
}

/** Starts a child collector on `redisUrl`, exporting to `receiverUrl`. */
export function forkCycleChild(redisUrl: string, receiverUrl: string): Promise<CycleChild> {
  const child: ChildProcess = fork(__filename, [], {
    env: {
      ...process.env,
      QUASAR_BENCH_CYCLE_CHILD: '1',
      QUASAR_BENCH_REDIS_URL: redisUrl,
      QUASAR_BENCH_RECEIVER_URL: receiverUrl,
    },
    // QUASAR_BENCH_CHILD_ARGS: extra Node flags for the child only, e.g. `--cpu-prof`.
    execArgv: ['--require', 'tsx/cjs', ...childArgs()],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends FromChild['type']>(type: T) =>
    new Promise<Extract<FromChild, { type: T }>>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`cycle child exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message: FromChild) => {
        child.off('exit', onExit);
        if (message.type === type) resolve(message as Extract<FromChild, { type: T }>);
        else if (message.type === 'failed') reject(new Error(message.error));
        else reject(new Error(`cycle child sent ${message.type}, expected ${type}`));
      });
    });
  const command = (message: ToChild) => child.send(message);
  return next('ready').then((ready) => ({
    startRssMb: ready.rssMb,
    cycle: (countPoints = false) => {
      const reply = next('cycled');
      command({ type: 'cycle', countPoints });
      return reply.then(({ ms, cpuMs, nodes, points, exportFailures }) => ({
        ms,
        cpuMs,
        nodes,
        points,
        exportFailures,
      }));
    },
    stop: () => {
      const reply = next('stopped');
      command({ type: 'stop' });
      return reply.then((stopped) => stopped.peakRssMb);
    },
  }));
}

if (process.env.QUASAR_BENCH_CYCLE_CHILD === '1') {
  serve();
}
