/**
 * A slow-log consumer alone in its own process, as one collector replica runs it, so that a test
 * can end it with SIGKILL in the middle of an export: nothing of it runs after, not its stop, not
 * its hand-back, not an acknowledgement. The test gives it its services over IPC and asks for its
 * counters and the services its histograms hold. Started by `forkConsumerChild` with
 * `QUASAR_TEST_CONSUMER_CHILD=1`.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { SlowLogConsumer } from '../../src/slowlog/consumer';
import type { SlowLogCounts } from '../../src/slowlog/consumer';
import { DurationHistograms } from '../../src/slowlog/duration-histograms';
import { GROUP, NodeIdentities } from './consumer-fixture';

/** What the child says about itself. */
export interface ChildReport {
  counts: SlowLogCounts;
  /** Services its duration histograms hold series of, sorted. */
  histogramServices: string[];
  /** Entries counted in its histograms. */
  histogramTotal: number;
}

type FromChild =
  | { type: 'ready' }
  | { type: 'owned' }
  | ({ type: 'report' } & ChildReport)
  | { type: 'failed'; error: string };

type ToChild =
  { type: 'own'; owned: string[]; acquired: string[]; claimIdleMs: number } | { type: 'report' };

/** How the parent starts a child. */
export interface ConsumerChildOptions {
  redisUrl: string;
  logsUrl: string;
  consumer: string;
  batchSize: number;
  /** Each export waits this long before it is sent, so that a SIGKILL finds batches in flight. */
  exportDelayMs: number;
}

/** The parent's handle on a child. */
export interface ConsumerChild {
  readonly name: string;
  /** Gives the child its services; resolves once it has them. */
  own(owned: readonly string[], acquired: readonly string[], claimIdleMs: number): Promise<void>;
  report(): Promise<ChildReport>;
  /** SIGKILL: the process ends where it stands. Resolves once it has exited. */
  kill(): Promise<void>;
}

/** The real exporter, each export sent after a delay: a replica whose backend is a bit slow. */
class DelayedExporter implements LogRecordExporter {
  constructor(
    private readonly inner: LogRecordExporter,
    private readonly delayMs: number,
  ) {}

  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    setTimeout(() => this.inner.export(logs, resultCallback), this.delayMs);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

/** Runs in the child. */
function serve(): void {
  const send = (message: FromChild) => process.send?.(message);
  const histograms = new DurationHistograms();
  const identities = new NodeIdentities();
  const exporter = new DelayedExporter(
    new OTLPLogExporter({ url: env('QUASAR_TEST_LOGS_URL'), timeoutMillis: 10_000 }),
    Number(env('QUASAR_TEST_EXPORT_DELAY_MS')),
  );
  const consumer = new SlowLogConsumer(
    new Redis(env('QUASAR_TEST_REDIS_URL')),
    exporter,
    histograms,
    {
      group: GROUP,
      consumer: env('QUASAR_TEST_CONSUMER'),
      batchSize: Number(env('QUASAR_TEST_BATCH_SIZE')),
      reclaimIdleMs: 60_000,
      blockMs: 200,
      resourceOf: identities.of,
      onError: (error, what) => send({ type: 'failed', error: `${what}: ${String(error)}` }),
    },
  );
  process.on('message', (message: ToChild) => {
    if (message.type === 'own') {
      consumer.setOwnedServices(new Set(message.owned), message.acquired, message.claimIdleMs);
      consumer.start();
      send({ type: 'owned' });
      return;
    }
    const blocks = histograms.resources(Date.now());
    const services = new Set(blocks.map((b) => String(b.attributes['service.name'])));
    send({
      type: 'report',
      counts: { ...consumer.counts },
      histogramServices: [...services].sort(),
      histogramTotal: histograms.total,
    });
  });
  // The test that started it is gone: so is this replica.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

/** Starts a consumer in a child process; resolves once it is ready for its services. */
export async function forkConsumerChild(options: ConsumerChildOptions): Promise<ConsumerChild> {
  const child: ChildProcess = fork(__filename, [], {
    env: {
      ...process.env,
      QUASAR_TEST_CONSUMER_CHILD: '1',
      QUASAR_TEST_REDIS_URL: options.redisUrl,
      QUASAR_TEST_LOGS_URL: options.logsUrl,
      QUASAR_TEST_CONSUMER: options.consumer,
      QUASAR_TEST_BATCH_SIZE: String(options.batchSize),
      QUASAR_TEST_EXPORT_DELAY_MS: String(options.exportDelayMs),
    },
    execArgv: ['--require', 'tsx/cjs'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  /** Errors the child reported: a consumer's `onError` never stops it, so they are kept. */
  const failures: string[] = [];
  child.on('message', (message: FromChild) => {
    if (message.type === 'failed') failures.push(message.error);
  });
  const next = <T extends FromChild['type']>(type: T) =>
    new Promise<Extract<FromChild, { type: T }>>((resolve, reject) => {
      const onExit = () => reject(new Error(`consumer child ${options.consumer} exited`));
      const onMessage = (message: FromChild) => {
        if (message.type === 'failed') return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (message.type === type) resolve(message as Extract<FromChild, { type: T }>);
        else reject(new Error(`consumer child sent ${message.type}, expected ${type}`));
      };
      child.once('exit', onExit);
      child.on('message', onMessage);
    });
  const command = (message: ToChild) => child.send(message);
  await next('ready');
  return {
    name: options.consumer,
    async own(owned, acquired, claimIdleMs) {
      const reply = next('owned');
      command({ type: 'own', owned: [...owned], acquired: [...acquired], claimIdleMs });
      await reply;
    },
    async report() {
      const reply = next('report');
      command({ type: 'report' });
      const { counts, histogramServices, histogramTotal } = await reply;
      if (failures.length > 0) throw new Error(`${options.consumer}: ${failures.join('; ')}`);
      return { counts, histogramServices, histogramTotal };
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

if (process.env.QUASAR_TEST_CONSUMER_CHILD === '1') {
  serve();
}
