/**
 * One collector cycle of a 50,000-node fleet through a real OpenTelemetry Collector at its
 * default receiver settings (20 MiB per request, after gzip decompression too), against a
 * reference measured in the same run.
 *
 * - cycle_ms: median of a full cycle with its export awaited: read, map, encode, and every
 *   request sent and answered by the collector.
 * - raw_read_ms: median MGET + JSON.parse of the same keys: the floor for any reader.
 * - every node must come out of the collector's pipeline (its OTLP/HTTP exporter forwards to
 *   this process, which counts distinct `service.instance.id`s on the first run), and every
 *   request must succeed, or the bench fails.
 * - unbounded: the same cycle with no practical limit (`--max-export-bytes` of 1 GiB), the
 *   behaviour before requests were bounded: the collector refuses the one big request, and
 *   only the halving on "too large" gets the fleet through.
 *
 * Run: `npm run bench:otelcol`. NODES, RUNS, MAX_EXPORT_BYTES, CONCURRENCY and PROTOCOL override the
 * defaults. The last stdout line is one JSON object; the exit code is non-zero on a failure.
 */
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { startRedisServer } from '../../testing/redis-server';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../testing/redis-server';
import { startOtelcol } from '../../testing/otelcol';
import type { Otelcol } from '../../testing/otelcol';
import { COLLECTOR_DEFAULTS, OTLP_PROTOCOLS } from '../src/config/options';
import type { OtlpProtocol } from '../src/config/options';
import { QuasarCollector } from '../src/cycle/quasar-collector';
import { MetricBatchExporter } from '../src/otlp/metric-exporter';
import { DEFAULT_EXPORT_CONCURRENCY } from '../src/otlp/export-options';
import type { ExportRequestStats } from '../src/otlp/export-counters';
import { templateBeat, writeFleet } from './fleet';
import { median, peakRssMb, round } from './stats';

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

const NODES = positiveInt('NODES', 50_000);
const RUNS = positiveInt('RUNS', 5);
const MAX_EXPORT_BYTES = positiveInt('MAX_EXPORT_BYTES', COLLECTOR_DEFAULTS.maxExportBytes);
const CONCURRENCY = positiveInt('CONCURRENCY', DEFAULT_EXPORT_CONCURRENCY);
const PROTOCOL = (process.env.PROTOCOL ?? 'http/protobuf') as OtlpProtocol;
if (!OTLP_PROTOCOLS.includes(PROTOCOL))
  throw new Error(`PROTOCOL must be one of ${OTLP_PROTOCOLS.join(', ')}`);
const silent = { info() {}, warn() {}, error() {} };

async function rawReadMs(redis: Redis, keys: readonly string[]): Promise<number> {
  const started = performance.now();
  const chunks: Array<Promise<Array<string | null>>> = [];
  for (let i = 0; i < keys.length; i += 1000) chunks.push(redis.mget(...keys.slice(i, i + 1000)));
  let parsed = 0;
  for (const values of await Promise.all(chunks)) {
    for (const value of values) if (value !== null && JSON.parse(value)) parsed++;
  }
  if (parsed !== keys.length) throw new Error(`raw read found ${parsed} of ${keys.length}`);
  return performance.now() - started;
}

/**
 * Where the collector forwards what it received (OTLP/HTTP JSON): counts the distinct node
 * instances while `counting`, and otherwise only drains. At 50,000 nodes the collector's
 * Prometheus exporter holds over a million series and did not render its page within minutes
 * on the bench machine, so the bench checks arrival at the pipeline's exporter instead; the
 * 3,000-node integration test checks `target_info` itself.
 */
async function startForwardSink() {
  const found = new Set<string>();
  const pattern = /"service\.instance\.id","value":\{"stringValue":"(node-[^"]+)"/g;
  const sink = {
    counting: true,
    found,
    url: '',
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      if (sink.counting) chunks.push(chunk);
    });
    req.on('end', () => {
      if (chunks.length > 0) {
        for (const match of Buffer.concat(chunks).toString('utf8').matchAll(pattern)) {
          found.add(match[1] as string);
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`;
  return sink;
}

/** The OTel Collector at default receiver settings, forwarding metrics to `forwardUrl`. */
async function startForwardingOtelcol(forwardUrl: string): Promise<Otelcol> {
  const otlpHttpPort = await freePort();
  const config = [
    'receivers:',
    '  otlp:',
    '    protocols:',
    '      http:',
    `        endpoint: 127.0.0.1:${otlpHttpPort}`,
    'processors:',
    '  batch:',
    'exporters:',
    '  otlp_http:',
    `    metrics_endpoint: ${JSON.stringify(forwardUrl)}`,
    '    encoding: json',
    '    compression: none',
    'service:',
    '  telemetry:',
    '    metrics:',
    '      level: none',
    '  pipelines:',
    '    metrics:',
    '      receivers: [otlp]',
    '      processors: [batch]',
    '      exporters: [otlp_http]',
    '',
  ].join('\n');
  return startOtelcol(config, { otlpHttpPort });
}

async function waitForNodes(found: Set<string>, count: number): Promise<number> {
  const until = Date.now() + 120_000;
  while (found.size < count && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return found.size;
}

/** Peak RSS of the otelcol child, MB, from /proc (undefined where there is no /proc). */
function otelcolPeakRssMb(): number | undefined {
  try {
    const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8');
    for (const pid of children.trim().split(/\s+/)) {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('otelcol')) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) return Number(hwm[1]) / 1024;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

const diff = (after: ExportRequestStats, before: ExportRequestStats | undefined) => ({
  requests: after.requestBytes.count - (before?.requestBytes.count ?? 0),
  bytes: after.requestBytes.sum - (before?.requestBytes.sum ?? 0),
  success: after.requests.success - (before?.requests.success ?? 0),
  tooLarge: after.requests.too_large - (before?.requests.too_large ?? 0),
  lost: after.lostResources - (before?.lostResources ?? 0),
  halvings: after.halvings - (before?.halvings ?? 0),
});

function cycleWith(url: string, otelcol: Otelcol, maxRequestBytes: number) {
  const exporter = new MetricBatchExporter(
    PROTOCOL,
    { url: `${otelcol.otlpEndpoint}/v1/metrics`, timeoutMillis: 60_000 },
    { maxRequestBytes, concurrency: CONCURRENCY },
  );
  const redis = new Redis(url);
  const collector = new QuasarCollector(
    { ...COLLECTOR_DEFAULTS, forgetAfterMs: 60_000, skipSelfExporting: true, consumerName: 'b' },
    { redis, metricExporter: exporter, logger: silent },
  );
  return {
    collector,
    counters: () => exporter.counters.snapshot(),
    async dispose() {
      await collector.stop();
      await exporter.shutdown();
      await redis.quit();
    },
  };
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const sink = await startForwardSink();
  const otelcol = await startForwardingOtelcol(sink.url);
  const url = server.urlFor(0);
  const redis = new Redis(url);
  const failures: string[] = [];
  const disposers: Array<() => Promise<void>> = [];
  try {
    const template = await templateBeat(url);
    let keys = await writeFleet(redis, template, NODES, 50);
    const run = cycleWith(url, otelcol, MAX_EXPORT_BYTES);
    disposers.push(() => run.dispose());
    const cycles: number[] = [];
    const reads: number[] = [];
    let perCycle: ReturnType<typeof diff> | undefined;
    await run.collector.read(); // discovery and the first parse, outside the timings
    for (let i = 0; i < RUNS; i++) {
      keys = await writeFleet(redis, template, NODES, 50, Date.now());
      reads.push(await rawReadMs(redis, keys));
      const before = run.counters();
      const started = performance.now();
      await run.collector.cycle({ forceExport: true, awaitExport: true });
      cycles.push(performance.now() - started);
      perCycle = diff(run.counters(), before);
      if (perCycle.lost > 0 || perCycle.success !== perCycle.requests) {
        failures.push(`run ${i}: ${JSON.stringify(perCycle)}`);
      }
      if (i === 0) {
        const seen = await waitForNodes(sink.found, NODES);
        sink.counting = false;
        if (seen !== NODES) failures.push(`only ${seen} of ${NODES} nodes came out of otelcol`);
      }
    }

    // The behaviour before bounded requests: one request for the whole cycle.
    const unbounded = cycleWith(url, otelcol, 1 << 30);
    disposers.push(() => unbounded.dispose());
    await unbounded.collector.read();
    const unboundedStarted = performance.now();
    await unbounded.collector.cycle({ forceExport: true, awaitExport: true });
    const unboundedMs = performance.now() - unboundedStarted;
    const unboundedCounts = diff(unbounded.counters(), undefined);

    const bytes = perCycle?.bytes ?? 0;
    const cycleMs = median(cycles);
    const readMs = median(reads);
    const result = {
      nodes: NODES,
      protocol: PROTOCOL,
      max_export_bytes: MAX_EXPORT_BYTES,
      concurrency: CONCURRENCY,
      runs: RUNS,
      requests: perCycle?.requests,
      request_bytes: bytes,
      bytes_per_node: round(bytes / NODES, 0),
      cycle_ms: round(cycleMs),
      raw_read_ms: round(readMs),
      ratio: round(cycleMs / readMs, 2),
      peak_rss_mb: round(peakRssMb(), 0),
      otelcol_peak_rss_mb: round(otelcolPeakRssMb() ?? Number.NaN, 0),
      unbounded: { cycle_ms: round(unboundedMs), ...unboundedCounts },
      failures,
    };
    console.log(
      `${NODES} nodes, ${PROTOCOL}, limit ${MAX_EXPORT_BYTES} B: ${result.requests} requests, ` +
        `${(bytes / 1e6).toFixed(1)} MB (${result.bytes_per_node} B/node); cycle ${result.cycle_ms} ms ` +
        `vs raw read ${result.raw_read_ms} ms (${result.ratio}x), median of ${RUNS}; ` +
        `unbounded: ${JSON.stringify(result.unbounded)}`,
    );
    console.log(JSON.stringify(result));
    if (failures.length > 0) process.exitCode = 1;
  } catch (error) {
    console.error(otelcol.logs().slice(-4000));
    throw error;
  } finally {
    for (const dispose of disposers) await dispose().catch(() => undefined);
    await redis.quit();
    await otelcol.stop();
    await sink.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
