#!/usr/bin/env node
/**
 * `npm run demo`: the whole system on one machine, without Docker. Redis (REDIS_URL, or a
 * private redis-server), the collector with a fresh API token, three services using the SDK
 * (an HTTP API, a BullMQ worker, a sidecar watching Laravel and Stream queues), and the Pulse
 * page on http://localhost:3000 (DEMO_PORT), signed in as Editor through the sign-in URL it
 * prints (read-only without it). OTLP goes to OTEL_EXPORTER_OTLP_ENDPOINT, to a
 * local otelcol + Prometheus when both are on the PATH, or to the console. Ctrl-C stops it all.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { startPulseWeb, type PulseWebServer } from '@gravito/quasar-pulse-web';
import { envInt } from '../shared/env';
import { startConsoleOtlp, type ConsoleOtlp } from './otlp-console';
import { findObservability, startObservability, type Observability } from './observability';
import { freePort } from './ports';
import { startChild, type Child } from './processes';
import { startDemoRedis, type DemoRedis } from './redis';
import { waitForFleet, waitForHttp } from './readiness';

const status = (line: string) => process.stdout.write(`quasar-demo: ${line}\n`);

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

interface Running {
  redis?: DemoRedis;
  otlp?: ConsoleOtlp;
  observability?: Observability;
  children: Child[];
  page?: PulseWebServer;
}

async function stopAll(running: Running): Promise<void> {
  await running.page?.close();
  await Promise.all(running.children.reverse().map((child) => child.stop()));
  await running.observability?.stop();
  await running.otlp?.close();
  await running.redis?.stop();
}

async function start(running: Running): Promise<void> {
  const started = Date.now();
  const pagePort = envInt('DEMO_PORT', 3000);

  running.redis = await startDemoRedis();
  status(
    `Redis at ${running.redis.url}${running.redis.child ? ` (private redis-server, pid ${running.redis.child.pid})` : ''}`,
  );

  let otlpEndpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  let protocolArgs: string[] = [];
  const bins = otlpEndpoint ? undefined : findObservability();
  if (otlpEndpoint) {
    status(`OTLP to ${otlpEndpoint}`);
  } else if (bins) {
    running.observability = await startObservability(bins);
    running.children.push(...running.observability.children);
    otlpEndpoint = running.observability.otlpEndpoint;
    status(
      `otelcol (pid ${running.observability.children[0]!.pid}) and Prometheus (pid ${running.observability.children[1]!.pid}): ${running.observability.prometheusUrl}`,
    );
  } else {
    running.otlp = await startConsoleOtlp((line) => status(line));
    otlpEndpoint = running.otlp.endpoint;
    protocolArgs = ['--metrics-protocol', 'http/json', '--logs-protocol', 'http/json'];
    status(
      'OTLP to the console (set OTEL_EXPORTER_OTLP_ENDPOINT, or put otelcol and prometheus on the PATH)',
    );
  }

  const apiToken = randomBytes(18).toString('hex');
  const signingToken = randomBytes(24).toString('hex');
  const collectorPort = await freePort();
  const collectorUrl = `http://127.0.0.1:${collectorPort}`;
  const collector = startChild(
    'collector',
    process.execPath,
    [
      join(packageDir('@gravito/quasar-collector'), 'dist', 'bin', 'quasar-collector.js'),
      '--refresh-interval',
      '1000',
      '--log-level',
      'warn',
      ...protocolArgs,
    ],
    {
      REDIS_URL: running.redis.url,
      HOST: '127.0.0.1',
      PORT: String(collectorPort),
      QUASAR_API_TOKEN: apiToken,
      QUASAR_TOKEN: signingToken,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
    },
  );
  running.children.push(collector);
  status(`collector (pid ${collector.pid}) at ${collectorUrl}, API token ${apiToken}`);

  const services = join(__dirname, '..', 'services');
  const common = { REDIS_URL: running.redis.url, QUASAR_TOKEN: signingToken };
  const apiPort = await freePort();
  // The services export their own metrics only to an endpoint the user set; otherwise the
  // collector bridges them like every other node.
  const serviceEnv: Record<string, string> = process.env.OTEL_EXPORTER_OTLP_ENDPOINT
    ? {}
    : { OTEL_EXPORTER_OTLP_ENDPOINT: '' };
  const list: Array<[string, string, Record<string, string>]> = [
    ['demo-api', 'api.js', { PORT: String(apiPort), HOST: '127.0.0.1' }],
    ['demo-worker', 'worker.js', {}],
    ['demo-producer', 'producer.js', {}],
  ];
  for (const [name, file, extra] of list) {
    const child = startChild(name, process.execPath, [join(services, file)], {
      ...common,
      ...serviceEnv,
      ...extra,
    });
    running.children.push(child);
    status(`${name} (pid ${child.pid})`);
  }
  await waitForHttp(`http://127.0.0.1:${apiPort}/health`, 30_000);
  const sidecar = startChild(
    'demo-sidecar',
    process.execPath,
    [join(packageDir('@gravito/quasar'), 'dist', 'bin', 'quasar-agent.js')],
    {
      QUASAR_SERVICE: 'demo-laravel',
      QUASAR_NAME: 'laravel-1',
      QUASAR_TRANSPORT_REDIS_URL: running.redis.url,
      QUASAR_INTERVAL: '2',
      QUASAR_QUEUES: 'default:laravel,mail:stream',
      QUASAR_CHECKS: JSON.stringify([
        {
          name: 'demo-api',
          type: 'http',
          url: `http://127.0.0.1:${apiPort}/health`,
          intervalMs: 2000,
          timeoutMs: 1000,
        },
      ]),
      QUASAR_LANGUAGE: 'php',
      QUASAR_LANGUAGE_VERSION: '8.3',
    },
  );
  running.children.push(sidecar);
  status(
    `demo-sidecar quasar-agent (pid ${sidecar.pid}) watching Laravel queue default and Stream queue mail`,
  );

  running.page = await startPulseWeb({
    collectorUrl,
    apiToken,
    role: 'Editor',
    host: '127.0.0.1',
    port: pagePort,
  });
  const pageUrl = `http://localhost:${running.page.config.port}`;
  // The sign-in URL under the name printed: the session cookie belongs to the host it was set on.
  const signIn = new URL(running.page.signInUrl!);
  signIn.hostname = 'localhost';
  status(`Pulse page at ${pageUrl} (read-only until signed in as Editor)`);

  await waitForFleet(collectorUrl, apiToken, 60_000);
  status(
    `ready in ${((Date.now() - started) / 1000).toFixed(1)} s: open ${signIn.href} to sign in as Editor (Ctrl-C stops everything)`,
  );
}

async function main(): Promise<void> {
  const running: Running = { children: [] };
  let stopping = false;
  const shutdown = (code: number) => {
    if (stopping) return;
    stopping = true;
    status('stopping…');
    void stopAll(running).then(() => {
      status('stopped');
      process.exit(code);
    });
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  try {
    await start(running);
  } catch (error) {
    process.stderr.write(
      `quasar-demo: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    shutdown(1);
  }
}

void main();
