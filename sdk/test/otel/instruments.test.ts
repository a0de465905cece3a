import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { registerNodeInstruments } from '../../src/otel/instruments';
import { parseHeartbeat } from '../../src/schema';
import type { Heartbeat } from '../../src/schema';
import { original } from '../schema/fixtures';

function setup() {
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 60_000,
  });
  const provider = new MeterProvider({ readers: [reader] });
  return { reader, provider, meter: provider.getMeter('test') };
}

const bun = (() => {
  const parsed = parseHeartbeat(original('heartbeat-node-sdk-bun.json'));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
})();

describe('registerNodeInstruments', () => {
  it('observes the latest heartbeat at each collection', async () => {
    const { reader, provider, meter } = setup();
    let latest: Heartbeat | undefined = undefined;
    registerNodeInstruments(meter, () => latest);
    const empty = await reader.collect();
    expect(empty.resourceMetrics.scopeMetrics.flatMap((s) => s.metrics)).toEqual([]);
    latest = bun;
    const { resourceMetrics } = await reader.collect();
    const rss = resourceMetrics.scopeMetrics[0]?.metrics.find(
      (m) => m.descriptor.name === 'process.memory.usage',
    );
    expect(rss?.dataPoints[0]?.value).toBe(98304000);
    expect(rss?.descriptor.unit).toBe('By');
    await provider.shutdown();
  });

  it('stops reading heartbeats once unregistered', async () => {
    const { reader, provider, meter } = setup();
    let reads = 0;
    const unregister = registerNodeInstruments(meter, () => {
      reads++;
      return bun;
    });
    await reader.collect();
    expect(reads).toBe(1);
    unregister();
    await reader.collect();
    expect(reads).toBe(1);
    await provider.shutdown();
  });
});
