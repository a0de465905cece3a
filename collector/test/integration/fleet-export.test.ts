/**
 * A fleet's export against the real OpenTelemetry Collector at its default receiver settings:
 * 3,000 nodes in real Redis, cut into many requests by a small `--max-export-bytes`, every
 * node reaching the collector's Prometheus exporter. Then, through an HTTP proxy in front of
 * that collector (a stand-in for a receiver that refuses, built here), one request in three
 * rejected with a 400, and bodies over a size answered 413.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { COLLECTOR_DEFAULTS } from '../../src/config/options';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import { MetricBatchExporter } from '../../src/otlp/metric-exporter';
import type { OtlpProtocol } from '../../src/config/options';
import { startTestOtelcol } from '../../../testing/otelcol';
import type { TestOtelcol } from '../../../testing/otelcol';
import { claimDatabase, eventually } from '../../../testing/redis';
import { describeWithStack } from '../../../testing/stack';
import { templateBeat, writeFleet } from '../../bench/fleet';

const NODES = 3000;
/** Small on purpose: 3,000 SDK heartbeats are about 5 MB of protobuf, so 20 requests or more. */
const MAX_EXPORT_BYTES = 192 * 1024;
/** Generous: on a loaded 2-core machine the OTel Collector takes tens of seconds for 3,000 nodes. */
const TIMEOUT_MS = 120_000;

class Lines {
  readonly lines: Array<{ level: string; message: string; fields: object }> = [];
  info = (fields: object, message: string) => this.lines.push({ level: 'info', message, fields });
  warn = (fields: object, message: string) => this.lines.push({ level: 'warn', message, fields });
  error = (fields: object, message: string) => this.lines.push({ level: 'error', message, fields });
  matching = (pattern: RegExp) => this.lines.filter((l) => pattern.test(l.message));
}

/** Distinct `instance` labels of `target_info` on the collector's Prometheus exporter. */
async function instances(otelcol: TestOtelcol): Promise<Set<string>> {
  const text = await (await fetch(otelcol.prometheusEndpoint)).text();
  const found = new Set<string>();
  for (const match of text.matchAll(/^target_info\{[^}]*\binstance="(node-[^"]+)"/gm)) {
    found.add(match[1] as string);
  }
  return found;
}

function arrived(otelcol: TestOtelcol, count: number): Promise<Set<string>> {
  return eventually(
    async () => {
      const found = await instances(otelcol);
      return found.size >= count ? found : undefined;
    },
    60_000,
    `${count} instances on target_info`,
  );
}

interface Proxy {
  readonly url: string;
  /** Node ids in the requests the proxy refused (JSON bodies only). */
  readonly refusedNodes: Set<string>;
  /** Resources in the refused requests, counted per request (a node refused twice counts 2). */
  refusedResources: number;
  refused: number;
  forwarded: number;
  close(): Promise<void>;
}

/**
 * Forwards OTLP/HTTP requests to the collector, unless `refuse` says to answer with a status
 * of its own; refused JSON bodies are read for their node ids.
 */
async function startProxy(
  target: string,
  refuse: (index: number, body: Buffer) => number | undefined,
): Promise<Proxy> {
  let index = 0;
  const proxy: Proxy = {
    url: '',
    refusedNodes: new Set(),
    refusedResources: 0,
    refused: 0,
    forwarded: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const status = refuse(index++, body);
      if (status !== undefined) {
        proxy.refused++;
        if (String(req.headers['content-type']).includes('json')) {
          for (const m of body
            .toString()
            .matchAll(/"service\.instance\.id","value":\{"stringValue":"([^"]+)"/g)) {
            proxy.refusedNodes.add(m[1] as string);
            proxy.refusedResources++;
          }
        }
        res.writeHead(status, { 'content-type': 'text/plain' }).end('refused by the test proxy');
        return;
      }
      proxy.forwarded++;
      const upstream = httpRequest(
        `${target}${req.url ?? ''}`,
        { method: 'POST', headers: { ...req.headers, 'content-length': body.length } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (proxy as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

describeWithStack(['otelcol'])(
  'a fleet exported to a real OTel Collector in bounded requests',
  () => {
    let url: string;
    let redis: Redis;
    let otelcol: TestOtelcol | undefined;
    let proxy: Proxy | undefined;

    beforeAll(async () => {
      url = await claimDatabase();
      redis = new Redis(url);
    }, TIMEOUT_MS);

    // Fresh beats for each test: written once, they outlived their TTL (and went offline) by the
    // third test on a loaded machine, which then exported fewer nodes than it waited for.
    beforeEach(async () => {
      await writeFleet(redis, await templateBeat(url), NODES, 20);
    }, TIMEOUT_MS);

    afterEach(async () => {
      await proxy?.close();
      await otelcol?.stop();
      proxy = undefined;
      otelcol = undefined;
    });

    afterAll(async () => {
      await redis?.quit();
    });

    function collectorFor(endpoint: string, protocol: OtlpProtocol, logger: Lines) {
      const exporter = new MetricBatchExporter(
        protocol,
        { url: `${endpoint}/v1/metrics` },
        { maxRequestBytes: MAX_EXPORT_BYTES, logger },
      );
      const client = new Redis(url);
      const collector = new QuasarCollector(
        {
          ...COLLECTOR_DEFAULTS,
          forgetAfterMs: 60_000,
          skipSelfExporting: true,
          consumerName: 'f',
        },
        { redis: client, metricExporter: exporter, logger },
      );
      const dispose = async () => {
        await collector.stop();
        await exporter.shutdown();
        await client.quit();
      };
      return { collector, dispose };
    }

    it(
      'delivers every node of a 3,000-node cycle in 20 requests or more, none over the limit',
      async () => {
        otelcol = await startTestOtelcol();
        const logger = new Lines();
        const { collector, dispose } = collectorFor(otelcol.otlpEndpoint, 'http/protobuf', logger);
        try {
          const outcome = await collector.runOnce();
          expect(outcome).toMatchObject({ ok: true, nodes: NODES });
          expect(outcome.requests).toBeGreaterThanOrEqual(20);
          const stats = (await collector.stats()).exportRequests.metrics!;
          expect(stats.requests).toEqual({
            success: outcome.requests,
            rejected: 0,
            failed: 0,
            too_large: 0,
          });
          // Every request at or under the limit: none in a bucket above 256 KiB.
          const { bounds, cumulative, count } = stats.requestBytes;
          expect(cumulative[bounds.indexOf(262_144)]).toBe(count);
          expect(count).toBe(outcome.requests);
          expect((await arrived(otelcol, NODES)).size).toBe(NODES);
          expect(logger.lines.filter((l) => l.level !== 'info')).toEqual([]);
        } finally {
          await dispose();
        }
      },
      TIMEOUT_MS,
    );

    it(
      'loses only the nodes of the requests a receiver rejects, counts them and logs once',
      async () => {
        otelcol = await startTestOtelcol();
        let refusing = true;
        proxy = await startProxy(otelcol.otlpEndpoint, (i) =>
          refusing && i % 3 === 1 ? 400 : undefined,
        );
        const logger = new Lines();
        const { collector, dispose } = collectorFor(proxy.url, 'http/json', logger);
        try {
          const outcome = await collector.runOnce();
          expect(outcome.ok).toBe(false);
          expect(outcome.failedRequests).toBe(proxy.refused);
          expect(proxy.refused).toBeGreaterThanOrEqual(6);
          const refusedNodes = new Set(proxy.refusedNodes);
          expect(refusedNodes.size).toBeGreaterThan(0);
          expect(refusedNodes.size).toBeLessThan(NODES / 2);
          // Every other node arrived, and none of the refused ones.
          const expected = NODES - refusedNodes.size;
          const found = await arrived(otelcol, expected);
          expect(found.size).toBe(expected);
          for (const node of refusedNodes) expect(found.has(node)).toBe(false);

          // A second failing export is counted, not logged; a good one logs the recovery.
          await collector.cycle({ forceExport: true, awaitExport: true });
          const stats = (await collector.stats()).exportRequests.metrics!;
          expect(stats.requests.rejected).toBe(proxy.refused);
          // Exactly the resources of the refused requests of both exports: which requests a
          // second export has refused depends on the order its requests reached the proxy.
          expect(stats.lostResources).toBe(proxy.refusedResources);
          expect(proxy.refusedResources).toBeGreaterThan(refusedNodes.size);
          expect(logger.matching(/metrics export failed/)).toHaveLength(1);
          refusing = false;
          await collector.cycle({ forceExport: true, awaitExport: true });
          expect(logger.matching(/metrics export recovered/)).toHaveLength(1);
          expect(logger.matching(/metrics export failed/)).toHaveLength(1);
          expect((await arrived(otelcol, NODES)).size).toBe(NODES);
        } finally {
          await dispose();
        }
      },
      TIMEOUT_MS,
    );

    it(
      'halves the requests a receiver finds too large (413) and still delivers every node',
      async () => {
        otelcol = await startTestOtelcol();
        const cap = MAX_EXPORT_BYTES / 3;
        proxy = await startProxy(otelcol.otlpEndpoint, (_, body) =>
          body.length > cap ? 413 : undefined,
        );
        const logger = new Lines();
        const { collector, dispose } = collectorFor(proxy.url, 'http/protobuf', logger);
        try {
          const outcome = await collector.runOnce();
          expect(outcome.ok).toBe(true);
          const stats = (await collector.stats()).exportRequests.metrics!;
          expect(stats.requests.too_large).toBe(proxy.refused);
          expect(stats.requests.too_large).toBeGreaterThan(0);
          expect(stats.halvings).toBeGreaterThanOrEqual(1);
          expect(stats.lostResources).toBe(0);
          expect(logger.matching(/halving the request size/)).toHaveLength(1);
          expect((await arrived(otelcol, NODES)).size).toBe(NODES);
        } finally {
          await dispose();
        }
      },
      TIMEOUT_MS,
    );
  },
);
