/**
 * The live system the browser tests look at: real SDK agents on a real Redis, a real BullMQ queue
 * whose real worker failed jobs, an availability check against a server that is down, and the
 * built collector as a separate process.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { QuasarAgent, type QuasarLogger } from '@gravito/quasar';
import { startOtlpReceiver } from '../../testing/otlp-receiver';
import { startCollectorProcess, type CollectorProcess } from '../../testing/quasar-collector';
import { bullmqConnection, eventually } from '../../testing/redis';

export const API_TOKEN = 'browser-api-token-5b1e07';
export const SIGNING_TOKEN = 'browser-signing-secret-93ac4d';
/** The failure every job of the `emails` queue meets. */
export const FAILURE = 'SMTP 550: mailbox unavailable';

const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };

export interface Fleet {
  redisUrl: string;
  collector: CollectorProcess;
  emails: Queue;
  /** Ids of the jobs that failed, oldest first. */
  failedIds: string[];
  stop(): Promise<void>;
}

/** A real agent beating every second on `redisUrl`, quietly and without OTel. */
function agentOf(redisUrl: string, service: string, name: string): QuasarAgent {
  return new QuasarAgent({
    service,
    name,
    interval: 1000,
    logger: silent,
    otel: { enabled: false },
    transport: { url: redisUrl },
  });
}

/** A loopback HTTP server answering 200, for an availability check that is up. */
async function healthyServer(): Promise<Server> {
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * The failure as a deployed app throws it: its stack starts in the app's own code (a screenshot
 * would otherwise show this machine's paths), then BullMQ's.
 */
function mailError(): Error {
  const error = new Error(FAILURE);
  error.stack = [
    `Error: ${FAILURE}`,
    '    at sendWelcome (/app/src/mail/welcome.js:27:9)',
    '    at Worker.callProcessJob (/app/node_modules/bullmq/dist/cjs/classes/worker.js:612:28)',
  ].join('\n');
  return error;
}

/** Fails `count` jobs of `queue` with a real worker, then closes the worker so they stay failed. */
async function failJobs(
  queue: Queue,
  connection: ConnectionOptions,
  count: number,
): Promise<string[]> {
  const worker = new Worker(queue.name, () => Promise.reject(mailError()), {
    connection,
    autorun: true,
  });
  const jobs = await queue.addBulk(
    Array.from({ length: count }, (_, i) => ({
      name: 'welcome-email',
      data: { to: `user${i}@example.test` },
    })),
  );
  await eventually(
    async () => ((await queue.getFailedCount()) === count ? true : undefined),
    15_000,
    'jobs to fail',
  );
  await worker.close();
  return jobs.map((job) => String(job.id));
}

export async function startFleet(redisUrl: string): Promise<Fleet> {
  const connection = bullmqConnection(redisUrl);
  // Whatever started is stopped again, newest first, also when a later step fails.
  const cleanup: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const emails = new Queue('emails', { connection });
    cleanup.push(() => emails.close());
    const failedIds = await failJobs(emails, connection, 4);
    await emails.addBulk([
      { name: 'digest', data: {} },
      { name: 'digest', data: {} },
    ]);
    const up = await healthyServer();
    cleanup.push(() => new Promise((resolve) => up.close(resolve)));

    const api = agentOf(redisUrl, 'shop', 'api-1');
    api.monitorQueue('emails', 'bullmq');
    api.monitorCheck('storefront', {
      type: 'http',
      url: `http://127.0.0.1:${(up.address() as AddressInfo).port}/`,
      intervalMs: 2000,
      timeoutMs: 1000,
    });
    await api.enableRemoteControl({
      queues: { emails: ['retry', 'delete'] },
      token: SIGNING_TOKEN,
    });
    cleanup.push(() => api.stop());
    await api.start();
    api.recordSlow({
      kind: 'request',
      name: 'GET /orders/:id',
      method: 'GET',
      route: '/orders/:id',
      status: 200,
      durationMs: 1834,
    });

    const worker = agentOf(redisUrl, 'billing', 'invoicer-1');
    // Nothing listens on port 9 of loopback: the check is down, and the node and its service show it.
    worker.monitorCheck('payments-gateway', {
      type: 'tcp',
      host: '127.0.0.1',
      port: 9,
      intervalMs: 2000,
      timeoutMs: 1000,
    });
    cleanup.push(() => worker.stop());
    await worker.start();

    // Logs exported to a local receiver: the slow-log consumer runs, and builds the groups.
    const receiver = await startOtlpReceiver();
    cleanup.push(() => receiver.close());
    const collector = await startCollectorProcess({
      redisUrl,
      apiToken: API_TOKEN,
      commandToken: SIGNING_TOKEN,
      args: ['--export-logs', 'true', '--logs-protocol', 'http/json', '--scan-interval', '1s'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
    });
    cleanup.push(() => collector.stop());
    return { redisUrl, collector, emails, failedIds, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
