/**
 * The built `quasar-collector` bin as a separate process, the way it is deployed: flags and
 * environment only, ready once `/readyz` answers 200. OTLP export is off unless asked for.
 */
import { get } from 'node:http';
import { dirname, join } from 'node:path';
import { freePort } from './redis-server';
import { spawnManaged, waitUntilReady, type ManagedProcess } from './managed-process';

export interface CollectorProcessOptions {
  redisUrl: string;
  apiToken?: string;
  /** HMAC secret shared with the agents; without it commands cannot be issued. */
  commandToken?: string;
  refreshIntervalMs?: number;
  /** Extra flags, e.g. `--export-metrics true`. */
  args?: string[];
  env?: Record<string, string>;
}

export interface CollectorProcess {
  readonly url: string;
  readonly port: number;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Where the built bin is. */
export function collectorBin(): string {
  const root = dirname(require.resolve('@gravito/quasar-collector/package.json'));
  return join(root, 'dist', 'bin', 'quasar-collector.js');
}

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', () => resolve(0));
  });
}

export async function startCollectorProcess(
  options: CollectorProcessOptions,
): Promise<CollectorProcess> {
  const port = await freePort();
  const args = [
    collectorBin(),
    '--redis-url',
    options.redisUrl,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--refresh-interval',
    String(options.refreshIntervalMs ?? 500),
    '--export-metrics',
    'false',
    '--export-logs',
    'false',
    ...(options.apiToken === undefined ? ['--no-auth'] : []),
    ...(options.args ?? []),
  ];
  const env: Record<string, string> = { ...options.env };
  if (options.apiToken !== undefined) env.QUASAR_API_TOKEN = options.apiToken;
  if (options.commandToken !== undefined) env.QUASAR_TOKEN = options.commandToken;
  const proc = spawnManaged(process.execPath, args, { name: 'quasar-collector', env });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(
    proc,
    async () => (await status(`${url}/readyz`)) === 200,
    20_000,
    'the collector to be ready',
  );
  return { url, port, process: proc, stop: () => proc.stop() };
}
