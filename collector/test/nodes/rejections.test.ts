import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';
import { readNodes } from '../../src/nodes/read-nodes';
import { NodeRegistry } from '../../src/nodes/registry';
import { Rejections } from '../../src/nodes/rejections';
import type { RejectionLogger } from '../../src/nodes/rejections';
import { redisTimeMs } from '../../src/redis/server-time';
import { original } from '../support/fixtures';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';

const MAX_PAYLOAD_BYTES = 4096;

/** Records every warning, as pino would receive it. */
class RecordingLogger implements RejectionLogger {
  readonly warnings: Array<{ fields: Record<string, unknown>; message: string }> = [];
  warn(fields: Record<string, unknown>, message: string): void {
    this.warnings.push({ fields, message });
  }
  keysWarned(): unknown[] {
    return this.warnings.map((w) => w.fields.key);
  }
}

const good = (overrides = {}) => JSON.stringify(original('goLaravel', overrides));
const withoutCpu = () => {
  const heartbeat: Partial<Heartbeat> = original('goLaravel');
  delete heartbeat.cpu;
  return JSON.stringify(heartbeat);
};

/** One malformed payload per way a heartbeat can be broken. */
const BAD_PAYLOADS: Record<string, { value: () => string; reason: 'invalid' | 'oversized' }> = {
  'not-json': { value: () => '{"id": "half', reason: 'invalid' },
  'wrong-types': { value: () => good({ pid: 'three thousand' }), reason: 'invalid' },
  'missing-fields': { value: withoutCpu, reason: 'invalid' },
  'json-array': { value: () => JSON.stringify([original('goLaravel')]), reason: 'invalid' },
  oversized: {
    value: () => good({ meta: { pad: 'x'.repeat(MAX_PAYLOAD_BYTES) } }),
    reason: 'oversized',
  },
};

describeWithRedis('rejected heartbeats', () => {
  let redis: Redis;
  let logger: RecordingLogger;
  let rejections: Rejections;
  let registry: NodeRegistry;
  const keyOf = (name: string) => QuasarKeys.node('broken', name);
  const goodKey = QuasarKeys.node('my-laravel-app', 'app-server-01-3121');

  beforeAll(async () => {
    redis = new Redis(await claimDatabase());
  });

  afterAll(async () => {
    await redis?.quit();
  });

  beforeEach(async () => {
    await redis.flushdb();
    logger = new RecordingLogger();
    rejections = new Rejections(logger);
    registry = new NodeRegistry(rejections, MAX_PAYLOAD_BYTES, 60_000);
  });

  async function cycle(keys: string[]) {
    const raws = await readNodes(redis, keys, MAX_PAYLOAD_BYTES);
    const nowMs = await redisTimeMs(redis);
    registry.update(raws, nowMs);
    return registry.views(nowMs);
  }

  it('skips every kind of malformed payload and keeps the good nodes', async () => {
    const keys = Object.keys(BAD_PAYLOADS).map(keyOf);
    for (const [name, bad] of Object.entries(BAD_PAYLOADS)) {
      await redis.set(keyOf(name), bad.value(), 'EX', 30);
    }
    await redis.set(goodKey, good(), 'EX', 30);
    const views = await cycle([...keys, goodKey]);
    expect(views.map((v) => v.key)).toEqual([goodKey]);
    expect(rejections.totals).toEqual({ invalid: 4, oversized: 1, mismatch: 0, index: 0 });
    expect(rejections.failing).toBe(5);
  });

  it('logs and counts each bad payload once across cycles, with its reason', async () => {
    const keys = Object.keys(BAD_PAYLOADS).map(keyOf);
    for (const [name, bad] of Object.entries(BAD_PAYLOADS)) {
      await redis.set(keyOf(name), bad.value(), 'EX', 30);
    }
    for (let i = 0; i < 3; i++) await cycle(keys);
    expect(logger.keysWarned().sort()).toEqual([...keys].sort());
    for (const [name, bad] of Object.entries(BAD_PAYLOADS)) {
      const warning = logger.warnings.find((w) => w.fields.key === keyOf(name));
      expect(warning?.fields.reason).toBe(bad.reason);
      expect(warning?.message).toBe('skipping payload');
    }
    expect(rejections.totals).toEqual({ invalid: 4, oversized: 1, mismatch: 0, index: 0 });
  });

  it('logs a bad key again when its reason changes', async () => {
    const key = keyOf('changing');
    await redis.set(key, 'not json', 'EX', 30);
    await cycle([key]);
    await cycle([key]);
    await redis.set(key, BAD_PAYLOADS.oversized!.value(), 'EX', 30);
    await cycle([key]);
    expect(logger.warnings.map((w) => w.fields.reason)).toEqual(['invalid', 'oversized']);
  });

  it('logs a key again when it breaks after recovering', async () => {
    const key = goodKey;
    await redis.set(key, 'not json', 'EX', 30);
    await cycle([key]);
    await redis.set(key, good(), 'EX', 30);
    await cycle([key]);
    expect(rejections.failing).toBe(0);
    await redis.set(key, 'not json', 'EX', 30);
    await cycle([key]);
    expect(logger.warnings).toHaveLength(2);
  });

  it('keeps the last good heartbeat of a node whose payload turns bad', async () => {
    await redis.set(goodKey, good({ pid: 1111 }), 'EX', 30);
    await cycle([goodKey]);
    await redis.set(goodKey, good({ pid: 'oops' }), 'EX', 30);
    const views = await cycle([goodKey]);
    expect(views).toHaveLength(1);
    expect(views[0]?.heartbeat.pid).toBe(1111);
    expect(views[0]?.status).toBe('online');
    expect(logger.warnings).toHaveLength(1);
  });

  it('never logs the payload itself', async () => {
    const key = keyOf('secretive');
    await redis.set(key, '{"password": "do-not-log-me", "oops', 'EX', 30);
    await cycle([key]);
    expect(JSON.stringify(logger.warnings)).not.toContain('do-not-log-me');
  });
});
