/**
 * A command API on a real Redis, listening on a free port, its log lines captured: the fixture
 * of the command, audit and flood tests. Requests go over real HTTP (see pulse-fixture.ts).
 */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createRedisClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import pino from 'pino';
import { buildApp } from '../../src/api/app';
import type { CommandApiConfig } from '../../src/api/app';
import type { ApiConfig } from '../../src/api/deps';
import type { CommandOptions } from '../../src/commands/issue-command';
import { PulseState } from '../../src/cycle/pulse-state';
import { httpGet, httpPost } from './pulse-fixture';
import type { Reply } from './pulse-fixture';

export const API_TOKEN = 'read-token-3c9e1f77';
export const WRITE_TOKEN = 'write-token-8b24d0aa';
export const COMMAND_TOKEN = 'command-secret-51fa9e02';
export const read = { authorization: `Bearer ${API_TOKEN}` };
export const write = { authorization: `Bearer ${WRITE_TOKEN}` };
/** A retry of one job on `billing/node-1`, without its job key. */
export const retry = { service: 'billing', nodeId: 'node-1', type: 'RETRY_JOB', queue: 'emails' };

export const COMMAND_PATH = '/api/pulse/command';

/** Command options signing with `COMMAND_TOKEN`, a 30-day retention, and `overrides`. */
export const commands = (overrides: Partial<CommandOptions> = {}): CommandOptions => ({
  token: COMMAND_TOKEN,
  allowUnsigned: false,
  ttlMs: 60_000,
  resultTimeoutMs: 60_000,
  auditRetentionMs: 30 * 86_400_000,
  auditMaxLength: 1_000_000,
  ...overrides,
});

/** A running command API. */
export interface CommandApi {
  redis: RedisClient;
  port: number;
  log: string[];
  /** POSTs `body` (a string as is, anything else as JSON) to `path`, the command route by default. */
  post(body: unknown, headers?: Record<string, string>, path?: string): Promise<Reply>;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

/** Starts the API on `redisUrl` (a single Redis or a `redis+cluster://` URL) with the API token, the write token unless `config` says otherwise. */
export async function startApi(
  redisUrl: string,
  config: Partial<ApiConfig> & CommandApiConfig,
  state = new PulseState(),
): Promise<CommandApi> {
  const redis = createRedisClient(redisUrl, { maxRetriesPerRequest: 1 });
  const log: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (log.push(String(chunk)), done()) });
  const { app } = buildApp(
    {
      state,
      redis,
      stats: () => Promise.reject(new Error('not used')),
      readiness: () => ({ ready: true, failingCycles: 0 }),
    },
    { apiToken: API_TOKEN, noAuth: false, ...config },
    pino({ level: 'trace' }, sink),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const post = (body: unknown, headers: Record<string, string> = write, path = COMMAND_PATH) =>
    httpPost(port, path, body, headers);
  const get = (path: string, headers: Record<string, string> = read) =>
    httpGet(port, path, headers);
  const close = async () => {
    await app.close();
    redis.disconnect();
  };
  return { redis, port, log, post, get, close };
}
