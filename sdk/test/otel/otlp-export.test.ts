/**
 * The agent's readings through the real OTLP/HTTP metric exporter, received by a local HTTP
 * endpoint: names, units, values and the node's resource.
 */
import Redis from 'ioredis';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { QuasarAgent, NODE_METRICS } from '../../src';
import type { QuasarLogger } from '../../src';
import { QuasarKeys, parseHeartbeat } from '../../src/schema';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { attributeMap, startOtlpReceiver } from './otlp-receiver';
import type { OtlpMetric, OtlpReceiver } from './otlp-receiver';

const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };

function pointValue(
  metric: OtlpMetric,
  attributes: Record<string, unknown> = {},
): number | undefined {
  const points = metric.gauge?.dataPoints ?? metric.sum?.dataPoints ?? [];
  const match = points.find((p) =>
    Object.entries(attributes).every(([k, v]) => attributeMap(p.attributes)[k] === v),
  );
  if (!match) return undefined;
  return match.asDouble ?? (match.asInt !== undefined ? Number(match.asInt) : undefined);
}

describeWithRedis('OpenTelemetry export', () => {
  let url: string;
  let receiver: OtlpReceiver;
  const saved = { ...process.env };

  beforeEach(async () => {
    url = await claimDatabase();
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    process.env = { ...saved };
    await receiver.close();
  });

  it('exports every reading over OTLP/HTTP with semantic-convention names, units and the node resource', async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.endpoint;
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment.name=test';
    const agent = new QuasarAgent({
      service: 'otel-api',
      name: 'otel-node',
      interval: 300,
      transport: { url },
      logger: silent,
      otel: { exportOtlp: true },
    });
    await agent.start();
    // The first beat, taken at start(), has no event-loop histogram yet; wait for a later one.
    const hasEventLoop = (r: (typeof receiver.requests)[number]) =>
      r.resourceMetrics.some((rm) =>
        rm.scopeMetrics.some((s) => s.metrics.some((m) => m.name === 'nodejs.eventloop.delay.p50')),
      );
    await eventually(
      () => (receiver.requests.some(hasEventLoop) ? true : undefined),
      10_000,
      'an OTLP export',
    );
    const last = agent.getLastHeartbeat()!;
    await agent.stop();

    const request = receiver.requests.filter(hasEventLoop).pop()!;
    expect(request.resourceMetrics).toHaveLength(1);
    const rm = request.resourceMetrics[0]!;
    expect(attributeMap(rm.resource.attributes)).toMatchObject({
      'service.name': 'otel-api',
      'service.instance.id': `otel-node-${process.pid}`,
      'host.name': 'otel-node',
      'process.pid': process.pid,
      'process.runtime.name': 'nodejs',
      'process.runtime.version': process.versions.node,
      'os.type': 'linux',
      'deployment.environment.name': 'test',
    });
    const scope = rm.scopeMetrics.find((s) => s.scope.name === '@gravito/quasar')!;
    const byName = new Map(scope.metrics.map((m) => [m.name, m]));
    for (const def of NODE_METRICS) {
      if (def.name === 'quasar.container.cpu.quota') continue; // only under a CPU quota
      const metric = byName.get(def.name);
      expect({ name: def.name, present: metric !== undefined }).toEqual({
        name: def.name,
        present: true,
      });
      expect({ name: def.name, unit: metric?.unit }).toEqual({ name: def.name, unit: def.unit });
      expect(def.kind === 'gauge' ? metric?.gauge : metric?.sum?.isMonotonic).toBe(
        def.kind === 'gauge' ? metric?.gauge : false,
      );
    }
    const mem = byName.get('system.memory.usage')!;
    expect(pointValue(mem, { 'system.memory.state': 'used' })).toBeGreaterThan(0);
    expect(pointValue(mem, { 'system.memory.state': 'free' })).toBeGreaterThan(0);
    expect(pointValue(byName.get('system.memory.limit')!)).toBeGreaterThan(
      pointValue(mem, { 'system.memory.state': 'used' })!,
    );
    const cpu = pointValue(byName.get('system.cpu.utilization')!)!;
    expect(cpu).toBeGreaterThanOrEqual(0);
    expect(cpu).toBeLessThanOrEqual(1);
    const delay = pointValue(byName.get('nodejs.eventloop.delay.p99')!)!;
    expect(delay).toBeLessThan(1); // seconds, not ms
    expect(pointValue(byName.get('process.memory.usage')!)).toBeGreaterThan(10_000_000);
    expect(last.otel).toEqual({ selfExport: true });
  });

  it('marks the heartbeat as self-exported so the collector will not export the node again', async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.endpoint;
    const agent = new QuasarAgent({
      service: 'self',
      transport: { url },
      logger: silent,
      otel: { exportOtlp: true },
    });
    await agent.start();
    const redis = new Redis(url);
    const parsed = parseHeartbeat(await redis.get(QuasarKeys.node('self', agent.getNodeId())));
    await redis.quit();
    await agent.stop();
    expect(parsed.ok && parsed.value.otel).toEqual({ selfExport: true });
  });

  it('does not export, and says so, when opted in without an endpoint', async () => {
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT;
    const info: string[] = [];
    const agent = new QuasarAgent({
      service: 'noexport',
      transport: { url },
      logger: { ...silent, info: (m) => info.push(m) },
      otel: { exportOtlp: true },
    });
    await agent.start();
    await agent.stop();
    expect(info.join('\n')).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT is not set/);
    expect(agent.getLastHeartbeat()?.otel).toEqual({ selfExport: false });
    expect(receiver.requests).toEqual([]);
  });

  it("records on the application's MeterProvider", async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const agent = new QuasarAgent({
      service: 'app-provider',
      interval: 100,
      transport: { url },
      logger: silent,
      otel: { meterProvider: provider },
    });
    await agent.start();
    // The first beat has no event-loop histogram yet; wait for the next one.
    const first = agent.getLastHeartbeat()!.timestamp;
    await eventually(() => ((agent.getLastHeartbeat()?.timestamp ?? 0) > first ? true : undefined));
    const { resourceMetrics } = await reader.collect();
    const names = resourceMetrics.scopeMetrics.flatMap((s) =>
      s.metrics.map((m) => m.descriptor.name),
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'system.cpu.utilization',
        'process.memory.usage',
        'nodejs.eventloop.utilization',
      ]),
    );
    expect(agent.getLastHeartbeat()?.otel).toEqual({ selfExport: true });
    await agent.stop();
    await provider.shutdown();
  });
});
