/**
 * A Pulse API over a real collector reading a real Redis database, listening on a free port:
 * the fleet the API tests query (both original agents, current SDK nodes, one malformed key).
 * Requests go over real HTTP: `inject()` needs light-my-request, whose ESM-only `cookie`
 * dependency Jest's CommonJS runtime cannot load.
 */
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { QuasarKeys } from '@gravito/quasar/schema';
import { buildApp } from '../../src/api/app';
import type { CommandApiConfig } from '../../src/api/app';
import type { ApiConfig, ApiDeps } from '../../src/api/deps';
import type { SseHub } from '../../src/api/sse-hub';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import type { CollectorLogger, CollectorSettings } from '../../src/cycle/quasar-collector';
import { original } from '../support/fixtures';

export const TOKEN = 'pulse-test-token-5f1c2a';
export const BROKEN_KEY = QuasarKeys.node('billing', 'broken-1');

export const COLLECTOR_SETTINGS: CollectorSettings = {
  cycleIntervalMs: 2000,
  exportIntervalMs: 10_000,
  scanIntervalMs: 60_000,
  forgetAfterMs: 3_600_000,
  skipSelfExporting: true,
  maxPayloadBytes: 256 * 1024,
  consumerGroup: 'quasar-collector',
  consumerName: 'api-test',
  reclaimIdleMs: 60_000,
  slowBatchSize: 500,
};

/** Keeps what the collector logs, so a test can read it and nothing reaches the console. */
export class RecordingLogger implements CollectorLogger {
  readonly lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  warn(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'warn', fields, message });
  }
  info(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'info', fields, message });
  }
  error(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'error', fields, message });
  }
}

/** A buffered HTTP response. */
export interface Reply {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** `GET` on a local port, the whole body buffered. */
export function httpGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({
          statusCode: res.statusCode ?? 0,
          headers: res.headers,
          body,
          json: <T>() => JSON.parse(body) as T,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** `POST` of `body` (a string as is, anything else as JSON) on a local port, the reply buffered. */
export function httpPost(
  port: number,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, path, method: 'POST' }, (res) => {
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
    });
    req.setHeader('content-type', 'application/json');
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
    req.on('error', reject);
    req.end(text);
  });
}

export interface Pulse {
  redis: Redis;
  port: number;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  collector: QuasarCollector;
  app: FastifyInstance;
  hub: SseHub;
  logger: RecordingLogger;
  /** Runs one cycle and waits for the background SCAN it may start. */
  cycle(): Promise<void>;
  close(): Promise<void>;
}

/** Builds the collector and the app on `redisUrl` and listens; nothing is read until `cycle()`. */
export async function startPulse(
  redisUrl: string,
  config: Partial<ApiConfig> & CommandApiConfig = {},
  settings: Partial<CollectorSettings> = {},
  extra: Pick<ApiDeps, 'slowGroups'> = {},
): Promise<Pulse> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const logger = new RecordingLogger();
  const collector = new QuasarCollector({ ...COLLECTOR_SETTINGS, ...settings }, { redis, logger });
  const { app, hub } = buildApp(
    {
      state: collector.state,
      redis,
      stats: () => collector.stats(),
      readiness: () => collector.readiness(),
      ...extra,
    },
    { apiToken: TOKEN, noAuth: false, ...config },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  return {
    redis,
    port,
    get: (path, headers) => httpGet(port, path, headers),
    collector,
    app,
    hub,
    logger,
    async cycle() {
      await collector.cycle();
      await collector.discovery.idle();
    },
    async close() {
      await app.close();
      await collector.stop();
      redis.disconnect();
    },
  };
}

/**
 * Writes the fleet: the Go agent and the Node SDK on Bun as the originals do (no index entry),
 * two current nodes of `billing` (indexed), and a malformed heartbeat in the index.
 */
export async function writeFleet(redis: Redis): Promise<void> {
  const now = Date.now();
  const go = original('goLaravel', {}, now);
  const bun = original('nodeBun', {}, now);
  await redis.set(QuasarKeys.node(go.service, go.id), JSON.stringify(go), 'EX', 30);
  await redis.set(QuasarKeys.node(bun.service, bun.id), JSON.stringify(bun), 'EX', 30);
  for (const id of ['billing-b-2', 'billing-a-1']) {
    const hb = original(
      'nodeBun',
      { id, service: 'billing', language: 'node', version: 'v22.1.0', interval: 5000 },
      now,
    );
    const key = QuasarKeys.node('billing', id);
    await redis.set(key, JSON.stringify(hb), 'EX', 30);
    await redis.zadd(QuasarKeys.nodeIndex, now, key);
  }
  await redis.set(BROKEN_KEY, '{"id": "broken-1", "service":', 'EX', 30);
  await redis.zadd(QuasarKeys.nodeIndex, now, BROKEN_KEY);
}

/** The Authorization header for the test token. */
export const bearer = { authorization: `Bearer ${TOKEN}` };
