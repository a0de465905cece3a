/**
 * A Go agent (`quasar-go`) env file, run as it is through the sidecar: the real settings
 * resolution and agent building (`runSidecar`) against a real Redis holding Laravel queues laid
 * out under each prefix form. Every `QUASAR_QUEUES` entry the Go agent parses must read the keys
 * the Go agent reads; an entry or segment the Go agent ignores is skipped with a warning naming
 * it, and the sidecar starts anyway.
 */
import Redis from 'ioredis';
import type { QueueSize, QueueSnapshot } from '../../src/schema';
import { QuasarKeys, parseHeartbeat, parseQueueSnapshot } from '../../src/schema';
import { runSidecar } from '../../src/sidecar/main';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { LaravelRedisQueue, laravelPayloadJson } from '../queues/layouts/laravel';
import { recordingIO } from './support';

/** Counts a Laravel queue is filled to; each queue gets its own, so a mixed-up key shows. */
interface LaravelFill {
  waiting: number;
  reserved: number;
  delayed: number;
}

/** One `QUASAR_QUEUES` entry, what Redis holds for it, and what the sidecar must make of it. */
interface Variant {
  entry: string;
  /** The Laravel app's connection prefix the queue is laid out under, and its counts. */
  laravel?: { name: string; prefix: string; fill: LaravelFill };
  /** A plain list laid out as `name` with this many elements. */
  list?: { name: string; length: number };
  /** Keys beside it (`{name}:failed`, …), each a list or a sorted set of `size` members. */
  subKeys?: Record<string, { kind: 'list' | 'zset'; size: number }>;
  /** The snapshot it must produce, or `skipped`. */
  expected: { name: string; driver: string; size: Partial<QueueSize> } | 'skipped';
  /** A warning it must cause, once. */
  warning?: RegExp;
}

const VARIANTS: Variant[] = [
  {
    entry: 'plain',
    laravel: { name: 'plain', prefix: '', fill: { waiting: 1, reserved: 0, delayed: 0 } },
    expected: { name: 'plain', driver: 'laravel', size: { waiting: 1, active: 0, delayed: 0 } },
  },
  {
    entry: 'typed:laravel',
    laravel: { name: 'typed', prefix: '', fill: { waiting: 2, reserved: 1, delayed: 0 } },
    expected: { name: 'typed', driver: 'laravel', size: { waiting: 2, active: 1, delayed: 0 } },
  },
  {
    entry: 'based:laravel:queues',
    laravel: { name: 'based', prefix: '', fill: { waiting: 3, reserved: 0, delayed: 1 } },
    expected: { name: 'based', driver: 'laravel', size: { waiting: 3, active: 0, delayed: 1 } },
  },
  {
    entry: 'shop:laravel:laravel_database_queues',
    laravel: {
      name: 'shop',
      prefix: 'laravel_database_',
      fill: { waiting: 4, reserved: 1, delayed: 2 },
    },
    expected: { name: 'shop', driver: 'laravel', size: { waiting: 4, active: 1, delayed: 2 } },
  },
  {
    entry: 'invoices:laravel:shop-database-queues',
    laravel: {
      name: 'invoices',
      prefix: 'shop-database-',
      fill: { waiting: 5, reserved: 2, delayed: 1 },
    },
    expected: { name: 'invoices', driver: 'laravel', size: { waiting: 5, active: 2, delayed: 1 } },
  },
  {
    // The old meaning of this sidecar: a connection prefix. The Go agent reads
    // `laravel_database_:legacy`, which does not exist, and so does the sidecar now.
    entry: 'legacy:laravel:laravel_database_',
    laravel: {
      name: 'legacy',
      prefix: 'laravel_database_',
      fill: { waiting: 6, reserved: 0, delayed: 0 },
    },
    expected: { name: 'legacy', driver: 'laravel', size: { waiting: 0, active: 0, delayed: 0 } },
    warning:
      /queue "legacy": the prefix "laravel_database_" replaces "queues".*legacy:laravel:laravel_database_queues/,
  },
  {
    entry: ' spaced:laravel ',
    laravel: { name: 'spaced', prefix: '', fill: { waiting: 7, reserved: 0, delayed: 0 } },
    expected: { name: 'spaced', driver: 'laravel', size: { waiting: 7 } },
  },
  {
    // The Go agent takes LLEN of each sub-key; a sorted set is sized with ZCARD instead of 0.
    entry: 'jobs:redis',
    list: { name: 'jobs', length: 3 },
    subKeys: {
      'jobs:active': { kind: 'list', size: 1 },
      'jobs:failed': { kind: 'list', size: 2 },
      'jobs:delayed': { kind: 'zset', size: 4 },
    },
    expected: {
      name: 'jobs',
      driver: 'redis',
      size: { waiting: 3, active: 1, failed: 2, delayed: 4 },
    },
  },
  {
    entry: 'ignored:redis:some_prefix_',
    list: { name: 'ignored', length: 2 },
    subKeys: { 'ignored:failed': { kind: 'zset', size: 5 } },
    expected: {
      name: 'ignored',
      driver: 'redis',
      size: { waiting: 2, active: 0, failed: 5, delayed: 0 },
    },
    warning: /queue "ignored": type redis takes no prefix.*"some_prefix_" is ignored/,
  },
  {
    entry: 'rabbit:rabbitmq',
    expected: 'skipped',
    warning: /queue "rabbit" has unknown type "rabbitmq".*skipped/,
  },
  {
    entry: 'orders:sqs',
    expected: 'skipped',
    warning: /queue "orders" skipped: sqs queues need a queueUrl.*config file/,
  },
  {
    entry: ':laravel:queues',
    expected: 'skipped',
    warning: /entry ":laravel:queues" has no queue name; skipped/,
  },
  {
    // The Go agent ignores bullmq; the sidecar monitors it as its own extension.
    entry: 'mail:bullmq',
    list: { name: 'bull:mail:wait', length: 2 },
    expected: { name: 'mail', driver: 'bullmq', size: { waiting: 2 } },
  },
  {
    entry: 'plain:redis',
    expected: 'skipped',
    warning: /queue "plain" is listed twice; the later entry is skipped/,
  },
];

/** The env file a Go agent deployment would have, with blank entries and a trailing comma. */
function envFile(url: string): string {
  return [
    '# quasar-go',
    'QUASAR_SERVICE=go-shop',
    'QUASAR_NAME=go-host',
    `QUASAR_REDIS_URL=${url}`,
    `QUASAR_MONITOR_REDIS_URL=${url}`,
    'QUASAR_INTERVAL=1',
    `QUASAR_QUEUES=${VARIANTS.map((v) => v.entry).join(',')},, ,`,
    '',
  ].join('\n');
}

/** `KEY=value` lines, as systemd's `EnvironmentFile` and `docker --env-file` read them. */
function readEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

async function layOut(redis: Redis, variant: Variant, now: number): Promise<void> {
  if (variant.list) {
    const { name, length } = variant.list;
    for (let i = 0; i < length; i++) await redis.rpush(name, `job-${i}`);
  }
  for (const [key, { kind, size }] of Object.entries(variant.subKeys ?? {})) {
    for (let i = 0; i < size; i++) {
      if (kind === 'list') await redis.rpush(key, `job-${i}`);
      else await redis.zadd(key, now + i, `job-${i}`);
    }
  }
  if (!variant.laravel) return;
  const { name, prefix, fill } = variant.laravel;
  const queue = new LaravelRedisQueue(redis, name, { prefix, cluster: false });
  const payload = () =>
    laravelPayloadJson({ className: 'App\\Jobs\\Ship', createdAt: now - 60 }, name);
  for (let i = 0; i < fill.waiting + fill.reserved; i++) await queue.push(payload());
  for (let i = 0; i < fill.reserved; i++) await queue.pop(now + 90);
  for (let i = 0; i < fill.delayed; i++) await queue.later(now + 300, payload());
}

describeWithRedis('a Go agent env file run by the sidecar (real Redis)', () => {
  let url: string;
  let redis: Redis;
  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });
  afterEach(async () => {
    await redis.quit();
  });

  it('reads what the Go agent reads for every entry, and warns once about what it ignores', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const variant of VARIANTS) await layOut(redis, variant, now);
    const rec = recordingIO();
    const run = runSidecar(['--no-laravel-workers'], readEnvFile(envFile(url)), rec.io);

    const key = QuasarKeys.node('go-shop', `go-host-${process.pid}`);
    // The queue reads of a beat have half an interval (500 ms): on a busy machine one can miss
    // it, and a later beat's reads are the ones that count.
    const noError = (json: string) => {
      const parsed = parseQueueSnapshot(json);
      return !parsed.ok || parsed.value.error === undefined;
    };
    const { beat, hash } = await eventually(
      async () => {
        const raw = await redis.get(key);
        const parsed = raw ? parseHeartbeat(raw) : undefined;
        if (!parsed?.ok || (parsed.value.queues ?? []).some((q) => q.error !== undefined)) {
          return undefined;
        }
        const hash = await redis.hgetall(QuasarKeys.queues('go-shop'));
        return Object.values(hash).every(noError) ? { beat: parsed.value, hash } : undefined;
      },
      15_000,
      'a heartbeat and queue hash with every queue read',
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the sidecar said: ${rec.stderr()}`);
    });
    rec.signal('SIGTERM');
    await expect(run).resolves.toBe(0);

    const monitored = VARIANTS.flatMap((v) => (v.expected === 'skipped' ? [] : [v.expected]));
    const inBeat = new Map((beat.queues ?? []).map((q) => [q.name, q]));
    const stored = new Map<string, QueueSnapshot>();
    for (const [name, json] of Object.entries(hash)) {
      const parsed = parseQueueSnapshot(json);
      if (parsed.ok) stored.set(name, parsed.value);
    }
    expect([...inBeat.keys()].sort()).toEqual(monitored.map((q) => q.name).sort());
    for (const expected of monitored) {
      for (const [where, snapshots] of [
        ['heartbeat', inBeat],
        ['queue hash', stored],
      ] as const) {
        const snapshot = snapshots.get(expected.name);
        expect({ where, entry: expected.name, snapshot }).toEqual({
          where,
          entry: expected.name,
          snapshot: expect.objectContaining({
            driver: expected.driver,
            size: expect.objectContaining(expected.size),
          }),
        });
        expect(snapshot?.error).toBeUndefined();
      }
    }

    const warnings = rec
      .stderr()
      .split('\n')
      .filter((line) => / warn /.test(line));
    for (const variant of VARIANTS.filter((v) => v.warning)) {
      const matching = warnings.filter((line) => variant.warning!.test(line));
      expect({ entry: variant.entry, matching: matching.length }).toEqual({
        entry: variant.entry,
        matching: 1,
      });
      expect(matching[0]).toMatch(/ warn QUASAR_QUEUES: /);
    }
    expect(warnings).toHaveLength(VARIANTS.filter((v) => v.warning).length);
  });
});
