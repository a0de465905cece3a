/**
 * demo-worker: a BullMQ queue `emails` filled every second and worked by a real BullMQ worker
 * whose jobs sometimes fail (and a few run slow, which go to the slow log). Remote control is on
 * for retry and delete on `emails`, signed with `QUASAR_TOKEN`, so the page's buttons work.
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { env } from '../shared/env';
import { between, demoAgent, onShutdown, sleep } from '../shared/service';

const FAILURES = [
  'SMTP 550: mailbox unavailable',
  'SMTP 421: service not available, try again later',
  'template "welcome" missing variable "firstName"',
];

function connectionOf(url: string): ConnectionOptions {
  const { hostname, port, pathname, password } = new URL(url);
  const db = Number(pathname.slice(1) || '0');
  return {
    host: hostname,
    port: Number(port || 6379),
    db,
    ...(password ? { password } : {}),
    maxRetriesPerRequest: null,
  };
}

async function main(): Promise<void> {
  const url = env('REDIS_URL', 'redis://127.0.0.1:6379');
  const connection = connectionOf(url);
  const agent = demoAgent('demo-worker', 'worker-1');
  agent.monitorQueue('emails', 'bullmq');
  await agent.enableRemoteControl({
    queues: { emails: ['retry', 'delete'] },
    token: env('QUASAR_TOKEN'),
  });

  const emails = new Queue('emails', { connection });
  const worker = new Worker(
    'emails',
    async (job) => {
      const started = Date.now();
      const slow = Math.random() < 0.05;
      await sleep(slow ? between(5200, 7000) : between(100, 700));
      if (Math.random() < 0.25) throw new Error(FAILURES[between(0, FAILURES.length - 1)]);
      if (slow)
        agent.recordSlow({
          kind: 'job',
          name: job.name,
          durationMs: Date.now() - started,
          queue: 'emails',
        });
    },
    { connection, concurrency: 2 },
  );
  worker.on('error', () => undefined);
  await agent.start();
  process.stdout.write('demo-worker working queue emails\n');

  const names = ['welcome-email', 'receipt-email', 'password-reset'];
  const producer = setInterval(() => {
    void emails.add(
      names[between(0, names.length - 1)]!,
      { to: `user${between(1, 999)}@example.test` },
      { removeOnComplete: 500 },
    );
  }, 900);

  onShutdown(async () => {
    clearInterval(producer);
    // Let running jobs finish for up to 2 s, then close anyway: BullMQ hands a job cut short to
    // another worker once its lock expires.
    await Promise.race([worker.close(), sleep(2000).then(() => worker.close(true))]);
    await emails.close();
    await agent.stop();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`demo-worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
