/**
 * Remote control end to end: the collector's API over real HTTP issues signed commands, real
 * agents (the built `@gravito/quasar`) receive them on a real Redis, and BullMQ's own scripts
 * move jobs that a real BullMQ worker failed. BullMQ's getters are the reference for where
 * every job ends up; the collector's status route and audit trail report what each agent decided.
 */
import { request } from 'node:http';
import { Job, Queue, Worker } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import type Redis from 'ioredis';
import { QuasarAgent } from '@gravito/quasar';
import type { QuasarLogger } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import type { CommandResult } from '@gravito/quasar/schema';
import type { CommandApiConfig } from '../../src/api/app';
import type { ApiConfig } from '../../src/api/deps';
import { NO_SUBSCRIBER_REASON } from '../../src/commands/issue-command';
import type { CommandOptions } from '../../src/commands/issue-command';
import {
  bullmqConnection,
  claimDatabase,
  connectedSubscriber,
  describeWithRedis,
  eventually,
} from '../../../testing/redis';
import { bearer, startPulse } from '../api/pulse-fixture';
import type { Pulse, Reply } from '../api/pulse-fixture';

const SIGNING_TOKEN = 'e2e-signing-secret-7d31c0';
const WRITE_TOKEN = 'e2e-write-token-2a96fe';
const SERVICE = 'shop';
const write = { authorization: `Bearer ${WRITE_TOKEN}` };
const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** A command's state as `GET /api/pulse/commands/:id` reports it. */
interface Outcome {
  commandId: string;
  status: string;
  result?: CommandResult;
}

/** A stream entry's flat field list as an object. */
function fieldsOf(fields: string[]): Record<string, string> {
  const entry: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) entry[fields[i]!] = fields[i + 1]!;
  return entry;
}

/** `POST /api/pulse/command` with a JSON body. */
function postCommand(pulse: Pulse, body: unknown, headers: Record<string, string>) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: pulse.port, path: '/api/pulse/command', method: 'POST' },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () =>
          resolve({
            statusCode: res.statusCode ?? 0,
            headers: res.headers,
            body: data,
            json: <T>() => JSON.parse(data) as T,
          }),
        );
      },
    );
    req.setHeader('content-type', 'application/json');
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** A collector that signs with `token`, on the test's Redis. */
function pulseSigningWith(url: string, token: string): Promise<Pulse> {
  const commands: CommandOptions = {
    token,
    allowUnsigned: false,
    ttlMs: 60_000,
    resultTimeoutMs: 30_000,
    auditRetentionMs: 86_400_000,
    auditMaxLength: 1000,
  };
  const config: Partial<ApiConfig> & CommandApiConfig = { apiWriteToken: WRITE_TOKEN, commands };
  return startPulse(url, config);
}

describeWithRedis('remote control from the API to BullMQ and back', () => {
  let pulse: Pulse;
  /** A collector whose signing secret is not the agents'. */
  let forger: Pulse;
  let emails: Queue;
  let reports: Queue;
  let results: Redis;
  /** Every result PUBLISHed on the results channel. */
  const published: CommandResult[] = [];
  const agents: QuasarAgent[] = [];
  /** Every command issued, oldest first, with the status it must end in. */
  const issued: Array<{ id: string; status: string }> = [];

  async function startAgent(url: string, name: string): Promise<QuasarAgent> {
    const agent = new QuasarAgent({
      service: SERVICE,
      name,
      interval: 60_000,
      logger: silent,
      otel: { enabled: false },
      transport: { url },
    });
    agents.push(agent);
    agent.monitorQueue('emails', 'bullmq');
    agent.monitorQueue('reports', 'bullmq');
    await agent.enableRemoteControl({
      // `ghost` is enabled but never monitored.
      queues: { emails: ['retry', 'delete'], reports: ['retry'], ghost: ['retry'] },
      token: SIGNING_TOKEN,
      maxJobsPerCommand: 2,
    });
    await agent.start();
    return agent;
  }

  /** A queue whose worker failed one job per id, one at a time, then was closed. */
  async function failedQueue(connection: ConnectionOptions, name: string, ids: string[]) {
    const queue = new Queue(name, { connection });
    const worker = new Worker(
      name,
      (job) =>
        (job.data as { fail?: boolean }).fail
          ? Promise.reject(new Error('smtp refused'))
          : Promise.resolve(),
      { connection },
    );
    try {
      for (const jobId of ids) {
        const job = await queue.add('send', { fail: true }, { jobId });
        await eventually(async () => ((await job.getState()) === 'failed' ? true : undefined));
      }
    } finally {
      await worker.close();
    }
    return queue;
  }

  /** POSTs `body` to `via`, expects 202 and returns the command id. */
  async function issue(body: Record<string, unknown>, status: string, via = pulse, headers = {}) {
    const res = await postCommand(via, body, { ...write, ...headers });
    expect(res.statusCode).toBe(202);
    const { commandId } = res.json<{ commandId: string }>();
    issued.push({ id: commandId, status });
    return commandId;
  }

  /** Polls the status route until the command is no longer pending. */
  const settled = (id: string) =>
    eventually(
      async () => {
        const outcome = (await pulse.get(`/api/pulse/commands/${id}`, bearer)).json<Outcome>();
        return outcome.status === 'pending' ? undefined : outcome;
      },
      10_000,
      `command ${id} to settle`,
    );

  const node = (n: number) => agents[n]!.getNodeId();
  const states = async (queue: Queue, ids: string[]) =>
    Promise.all(ids.map((id) => queue.getJobState(id)));
  const everyState = async () => ({
    emails: await states(emails, ['mail-1', 'mail-2', 'mail-3', 'mail-4', 'mail-5']),
    reports: await states(reports, ['report-1', 'report-2']),
  });
  const target = (overrides: Record<string, unknown>) => ({
    service: SERVICE,
    nodeId: node(0),
    type: 'RETRY_JOB',
    queue: 'emails',
    driver: 'bullmq',
    ...overrides,
  });

  beforeAll(async () => {
    const url = await claimDatabase();
    const connection = bullmqConnection(url);
    emails = await failedQueue(connection, 'emails', [
      'mail-1',
      'mail-2',
      'mail-3',
      'mail-4',
      'mail-5',
    ]);
    reports = await failedQueue(connection, 'reports', ['report-1', 'report-2']);
    results = await connectedSubscriber(url);
    results.on('message', (_channel: string, text: string) =>
      published.push(JSON.parse(text) as CommandResult),
    );
    await results.subscribe(QuasarKeys.commandResultsChannel);
    pulse = await pulseSigningWith(url, SIGNING_TOKEN);
    forger = await pulseSigningWith(url, 'not-the-agents-secret');
    await startAgent(url, 'web-1');
    await startAgent(url, 'web-2');
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await Promise.all([emails?.close(), reports?.close(), pulse?.close(), forger?.close()]);
    await results?.quit();
  });

  it('retries exactly the failed job a RETRY_JOB names, and reports it succeeded', async () => {
    const id = await issue(target({ jobKey: 'mail-1' }), 'succeeded');

    expect(await settled(id)).toMatchObject({
      status: 'succeeded',
      result: { commandId: id, affected: 1, nodeId: node(0) },
    });
    expect(await states(emails, ['mail-1', 'mail-2', 'mail-3', 'mail-4', 'mail-5'])).toEqual([
      'waiting',
      'failed',
      'failed',
      'failed',
      'failed',
    ]);
  });

  it('deletes exactly the failed job a DELETE_JOB names', async () => {
    const id = await issue(target({ type: 'DELETE_JOB', jobKey: 'mail-2' }), 'succeeded');

    expect(await settled(id)).toMatchObject({ status: 'succeeded', result: { affected: 1 } });
    expect(await Job.fromId(emails, 'mail-2')).toBeUndefined();
    expect(await emails.getFailedCount()).toBe(3);
  });

  it("retries at most maxJobsPerCommand of the newest failed jobs for jobKey '*'", async () => {
    const id = await issue(target({ jobKey: '*' }), 'succeeded');

    expect(await settled(id)).toMatchObject({ status: 'succeeded', result: { affected: 2 } });
    expect(await states(emails, ['mail-3', 'mail-4', 'mail-5'])).toEqual([
      'failed',
      'waiting',
      'waiting',
    ]);
  });

  it.each([
    [
      'a verb not enabled on the queue',
      () => target({ type: 'DELETE_JOB', queue: 'reports', jobKey: 'report-1' }),
      'delete is not enabled on queue reports',
    ],
    [
      'a queue enabled but not monitored',
      () => target({ queue: 'ghost', jobKey: 'report-1' }),
      'queue ghost is not monitored by this agent',
    ],
    [
      'a queue not enabled at all',
      () => target({ queue: 'invoices', jobKey: 'report-1' }),
      'retry is not enabled on queue invoices',
    ],
  ])('rejects %s, and no job moves', async (_what, body, reason) => {
    const before = await everyState();
    const id = await issue(body(), 'rejected');

    expect(await settled(id)).toMatchObject({
      status: 'rejected',
      result: { reason, affected: 0, nodeId: node(0) },
    });
    expect(await everyState()).toEqual(before);
  });

  it('rejects a command signed with another secret, and no job moves', async () => {
    const before = await everyState();
    const id = await issue(target({ queue: 'reports', jobKey: 'report-2' }), 'rejected', forger);

    expect(await settled(id)).toMatchObject({
      status: 'rejected',
      result: { reason: 'bad signature', affected: 0 },
    });
    expect(await everyState()).toEqual(before);
    expect(await reports.getJobState('report-2')).toBe('failed');
  });

  it('runs a service-wide command on one node only, and retries the job once', async () => {
    const wide = await issue(target({ nodeId: '*', jobKey: 'mail-3' }), 'succeeded');
    const outcome = await settled(wide);
    // Commands run in order on each node: once each node answered a later command, both have
    // handled the service-wide one.
    for (const n of [0, 1]) {
      const later = await issue(
        target({ nodeId: node(n), type: 'DELETE_JOB', queue: 'reports', jobKey: 'report-1' }),
        'rejected',
      );
      await settled(later);
    }

    expect(outcome).toMatchObject({ status: 'succeeded', result: { affected: 1 } });
    expect(published.filter((r) => r.commandId === wide)).toEqual([outcome.result]);
    expect(await emails.getJobState('mail-3')).toBe('waiting');
    const events = await pulse.redis.xrange(emails.toKey('events'), '-', '+');
    const moves = events.map(([, fields]) => fieldsOf(fields));
    expect(moves.filter((e) => e.jobId === 'mail-3' && e.prev === 'failed')).toEqual([
      { event: 'waiting', jobId: 'mail-3', prev: 'failed' },
    ]);
  });

  it('answers 409 when no agent listens, and the command reads rejected', async () => {
    const res = await postCommand(pulse, target({ service: 'nobody', jobKey: 'mail-4' }), write);
    expect(res.statusCode).toBe(409);
    const { commandId } = res.json<{ commandId: string }>();
    issued.push({ id: commandId, status: 'rejected' });

    expect(await settled(commandId)).toMatchObject({
      status: 'rejected',
      result: { reason: NO_SUBSCRIBER_REASON, affected: 0 },
    });
  });

  it('lists every command in the audit, newest first, with its actor and outcome', async () => {
    const byAlice = await issue(target({ jobKey: 'mail-4' }), 'rejected', pulse, {
      'x-grafana-user': 'alice',
    });
    await settled(byAlice);

    const res = await pulse.get('/api/pulse/audit?limit=100', bearer);
    const { entries } = res.json<{ entries: Array<Record<string, unknown>> }>();
    expect(entries.map((e) => ({ id: e.id, status: (e.outcome as Outcome).status }))).toEqual(
      [...issued].reverse(),
    );
    expect(entries[0]).toMatchObject({
      actor: 'alice',
      actorKind: 'grafana-user',
      credential: 'write-token',
      action: 'RETRY_JOB',
      service: SERVICE,
      nodeId: node(0),
      queue: 'emails',
      scope: 'job',
      jobId: 'mail-4',
      outcome: { result: { reason: 'job mail-4 is not failed (state: waiting)' } },
    });
    expect(entries[1]).toMatchObject({ actor: 'write-token', actorKind: 'token' });
  });
});
