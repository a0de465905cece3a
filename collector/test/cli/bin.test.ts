import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import { freePort, startRedisServer } from '../../../testing/redis-server';
import type { RedisServer } from '../../../testing/redis-server';
import { describeWithRedis } from '../../../testing/redis';
import { original } from '../support/fixtures';

const BIN = join(__dirname, '..', '..', 'dist', 'bin', 'quasar-collector.js');
const TOKEN = 'bin-test-token-7d0c9e41';
const PASSWORD = 'redis-pass-a93f1b77';
const DEADLINE_MS = 20_000;

interface Run {
  code: number | null;
  output: string;
}

/** Runs the built binary with only `env`, killing it if it outlives the deadline. */
function runBin(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * Runs the built binary as a server until it logs that it listens, then stops it with SIGTERM
 * (which may land before its own handler is installed: the exit code says nothing here).
 */
function serveBin(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--host', '127.0.0.1', '--port', '0', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Pulse API listening')) child.kill('SIGTERM');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The pino lines of a run, parsed. */
const logLines = (run: Run) =>
  run.output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; [field: string]: unknown });

describeWithRedis('the quasar-collector binary', () => {
  let server: RedisServer;

  beforeAll(async () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build the collector first`);
    server = await startRedisServer({ password: PASSWORD });
    const redis = new Redis(server.urlFor(0));
    const hb = original('goLaravel');
    await redis.set(QuasarKeys.node(hb.service, hb.id), JSON.stringify(hb), 'EX', 30);
    await redis.quit();
  });

  afterAll(async () => {
    await server?.stop();
  });

  const baseEnv = () => ({
    QUASAR_REDIS_URL: server.urlFor(0),
    QUASAR_API_TOKEN: TOKEN,
    QUASAR_EXPORT_LOGS: 'false',
  });

  it('runs one cycle against a password-protected Redis and exits 0', async () => {
    const run = await runBin(['--once'], { ...baseEnv(), QUASAR_EXPORT_METRICS: 'false' });
    expect(run.code).toBe(0);
    const done = logLines(run).find((l) => l.msg === 'cycle done');
    expect(done).toMatchObject({ ok: true, nodes: 1 });
  });

  it('exits 1 when the metrics export fails', async () => {
    const port = await freePort();
    const run = await runBin(['--once'], {
      ...baseEnv(),
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `http://127.0.0.1:${port}/v1/metrics`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
    });
    expect(run.code).toBe(1);
    expect(logLines(run).map((l) => l.msg)).toContain('metrics export failed');
  });

  it('never logs the API token, a named token or the Redis password', async () => {
    const named = 'named-secret-0123456789abcdef';
    const runs = [
      await runBin(['--once'], {
        ...baseEnv(),
        QUASAR_EXPORT_METRICS: 'false',
        LOG_LEVEL: 'debug',
      }),
      await runBin(['--once', '--api-token', TOKEN], {
        ...baseEnv(),
        QUASAR_EXPORT_METRICS: 'false',
        QUASAR_API_TOKENS: `ci:retry,read:${named}`,
        LOG_LEVEL: 'debug',
      }),
    ];
    for (const run of runs) {
      expect(run.code).toBe(0);
      const starting = logLines(run).find((l) => l.msg === 'starting');
      expect(JSON.stringify(starting)).toContain(':***@127.0.0.1');
      expect(run.output).not.toContain(TOKEN);
      expect(run.output).not.toContain(named);
      expect(run.output).not.toContain(PASSWORD);
    }
    const starting = logLines(runs[1] as Run).find((l) => l.msg === 'starting');
    expect(JSON.stringify(starting)).toContain('"apiTokens":["ci:retry,read"]');
  });

  it('warns at start when a flood within the rate limit could reach the audit backstop', async () => {
    const env = { ...baseEnv(), QUASAR_EXPORT_METRICS: 'false' };
    const backstopWarning = (run: Run) =>
      logLines(run).filter((l) => l.level === 40 && l.msg.includes('--audit-max-length'));
    const low = await serveBin(['--audit-max-length', '10000'], env);
    expect(low.output).toContain('Pulse API listening');
    expect(backstopWarning(low)).toEqual([
      expect.objectContaining({ auditMaxLength: 10_000, reachable: 2_592_060 }),
    ]);
    const defaults = await serveBin([], env);
    expect(defaults.output).toContain('Pulse API listening');
    expect(backstopWarning(defaults)).toEqual([]);
  });

  it('never logs the Redis password when Redis is unreachable', async () => {
    const port = await freePort();
    const url = `redis://:${PASSWORD}@127.0.0.1:${port}/0`;
    const run = await runBin(['--once'], {
      ...baseEnv(),
      QUASAR_REDIS_URL: url,
      QUASAR_EXPORT_METRICS: 'false',
      LOG_LEVEL: 'debug',
    });
    expect(run.code).toBe(1);
    expect(run.output).not.toContain(PASSWORD);
    expect(run.output).not.toContain(TOKEN);
  });
});
