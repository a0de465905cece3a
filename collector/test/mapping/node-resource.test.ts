import { QuasarKeys } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';
import { CheckErrorCounts } from '../../src/mapping/check-metrics';
import { NODE_SCOPE_NAME, nodeResource } from '../../src/mapping/node-resource';
import { ResourceCache } from '../../src/mapping/resource-cache';
import type { NodeView, PulseStatus } from '../../src/nodes/node-view';
import type { MetricData, NumberPoint, ResourceBlock } from '../../src/otlp/metric-batch';
import { original } from '../support/fixtures';

const NOW_MS = 1_767_600_000_000;
const BEAT_MS = NOW_MS - 1500;

function viewOf(heartbeat: Heartbeat, status: PulseStatus = 'online'): NodeView {
  return {
    key: QuasarKeys.node(heartbeat.service, heartbeat.id),
    heartbeat,
    status,
    ageMs: NOW_MS - heartbeat.timestamp,
    beatAtMs: heartbeat.timestamp,
  };
}

function map(
  view: NodeView,
  skipSelfExporting = true,
  resources = new ResourceCache(),
): ResourceBlock {
  return nodeResource(view, NOW_MS, {
    skipSelfExporting,
    checkErrors: new CheckErrorCounts(),
    resources,
  });
}

const names = (block: ResourceBlock) => block.metrics.map((m) => m.descriptor.name);

function metric(block: ResourceBlock, name: string): MetricData {
  const found = block.metrics.find((m) => m.descriptor.name === name);
  if (!found) throw new Error(`no ${name} among ${names(block).join(', ')}`);
  return found;
}

/** The points of a metric, each with the times it is exported with (its own, or the metric's). */
function points(block: ResourceBlock, name: string): NumberPoint[] {
  const m = metric(block, name);
  if (m.descriptor.kind === 'histogram') throw new Error(`${name} is a histogram`);
  const shared = m as { timeMs?: number; startTimeMs?: number };
  return (m.points as NumberPoint[]).map((p) => ({
    ...p,
    timeMs: p.timeMs ?? shared.timeMs,
    startTimeMs: p.startTimeMs ?? shared.startTimeMs,
  }));
}

function valueWhere(block: ResourceBlock, name: string, key: string, value: string): number {
  const point = points(block, name).find((p) => p.attributes?.[key] === value);
  if (!point) throw new Error(`no ${name} point with ${key}=${value}`);
  return point.value;
}

describe('nodeResource', () => {
  const go = original('goLaravel', {}, BEAT_MS);
  const bun = original('nodeBun', {}, BEAT_MS);

  it('describes the Go agent as its own resource', () => {
    expect(map(viewOf(go)).attributes).toEqual({
      'service.name': 'my-laravel-app',
      'service.instance.id': 'app-server-01-3121',
      'host.name': 'app-server-01',
      'process.pid': 3121,
      'process.runtime.name': 'go',
      'process.runtime.version': 'go1.24.11',
      'os.type': 'linux',
    });
  });

  it('describes the Node SDK on Bun as its own resource', () => {
    expect(map(viewOf(bun)).attributes).toMatchObject({
      'service.name': 'worker-orders',
      'service.instance.id': 'worker-01-48213',
      'host.name': 'worker-01',
      'process.pid': 48213,
      'process.runtime.name': 'bun',
      'process.runtime.version': '1.1.38',
      'os.type': 'linux',
    });
  });

  it('keeps one attributes object per node while its identity is unchanged', () => {
    const resources = new ResourceCache();
    const first = map(viewOf(bun), true, resources).attributes;
    resources.rotate();
    expect(map(viewOf({ ...bun, timestamp: BEAT_MS + 1000 }), true, resources).attributes).toBe(
      first,
    );
    resources.rotate();
    const restarted = map(viewOf({ ...bun, pid: 48214 }), true, resources).attributes;
    expect(restarted).not.toBe(first);
    expect(restarted['process.pid']).toBe(48214);
  });

  it('forgets a node that a whole cycle did not ask for', () => {
    const resources = new ResourceCache();
    const first = map(viewOf(bun), true, resources).attributes;
    resources.rotate();
    resources.rotate();
    expect(map(viewOf(bun), true, resources).attributes).not.toBe(first);
  });

  it('reports node metrics under the SDK scope', () => {
    expect(map(viewOf(bun)).scope.name).toBe(NODE_SCOPE_NAME);
  });

  it("reports the Go agent's free memory (really available) as the free state", () => {
    const block = map(viewOf(go));
    expect(valueWhere(block, 'system.memory.usage', 'system.memory.state', 'free')).toBe(
      5133336576,
    );
    expect(valueWhere(block, 'system.memory.usage', 'system.memory.state', 'used')).toBe(
      2689560576,
    );
  });

  it('reports system CPU as a 0–1 utilization', () => {
    expect(points(map(viewOf(go)), 'system.cpu.utilization')[0]?.value).toBeCloseTo(0.3745, 10);
    expect(points(map(viewOf(bun)), 'system.cpu.utilization')[0]?.value).toBeCloseTo(0.23, 10);
  });

  it('stamps table values with the heartbeat timestamp, not the read time', () => {
    const block = map(viewOf(go));
    const table = names(block).filter((name) => !name.startsWith('quasar.node.'));
    expect(table.length).toBeGreaterThan(0);
    for (const name of table) for (const p of points(block, name)) expect(p.timeMs).toBe(BEAT_MS);
  });

  it('gives cumulative sums the process start as their start time', () => {
    const memory = points(map(viewOf(go)), 'process.memory.usage')[0];
    expect(memory?.startTimeMs).toBeCloseTo(BEAT_MS - 3605.2 * 1000, 3);
  });

  it('leaves out V8 heap metrics for the Go agent, whose heap fields copy RSS', () => {
    expect(names(map(viewOf(go)))).not.toContain('v8js.memory.heap.used');
    expect(points(map(viewOf(bun)), 'v8js.memory.heap.used')[0]?.value).toBe(20971520);
  });

  it('reports the agent status as a state set', () => {
    const statusOf = (hb: Heartbeat) => {
      const block = map(viewOf(hb));
      return Object.fromEntries(
        points(block, 'quasar.node.status').map((p) => [
          String(p.attributes?.['quasar.node.status']),
          p.value,
        ]),
      );
    };
    expect(statusOf(go)).toEqual({ online: 1, degraded: 0, error: 0 });
    const degraded = { ...go, runtime: { ...go.runtime, status: 'degraded' } };
    expect(statusOf(degraded)).toEqual({ online: 0, degraded: 1, error: 0 });
    expect(statusOf(bun)).toEqual({ online: 1, degraded: 0, error: 0 });
  });

  it('reports liveness and heartbeat age on the read time', () => {
    const block = map(viewOf(bun));
    expect(points(block, 'quasar.node.up')).toMatchObject([{ value: 1, timeMs: NOW_MS }]);
    expect(points(block, 'quasar.node.heartbeat.age')).toMatchObject([
      { value: 1.5, timeMs: NOW_MS },
    ]);
  });

  it('reports a stale node as down but keeps its table metrics', () => {
    const block = map(viewOf(bun, 'stale'));
    expect(points(block, 'quasar.node.up')[0]?.value).toBe(0);
    expect(names(block)).toContain('system.cpu.utilization');
  });

  it('skips the table metrics of a node that exports its own, keeping its liveness', () => {
    const selfExporting = original('nodeBun', { otel: { selfExport: true } }, BEAT_MS);
    const block = map(viewOf(selfExporting));
    expect(names(block).sort()).toEqual(
      ['quasar.node.heartbeat.age', 'quasar.node.status', 'quasar.node.up'].sort(),
    );
    expect(names(map(viewOf(selfExporting), false))).toContain('system.cpu.utilization');
  });

  it('reports an offline node with liveness 0 and its age only', () => {
    const block = map(viewOf(go, 'offline'));
    expect(names(block).sort()).toEqual(['quasar.node.heartbeat.age', 'quasar.node.up']);
    expect(points(block, 'quasar.node.up')[0]?.value).toBe(0);
  });

  it('skips a metric whose reading the agent reports as failed', () => {
    const failing = { ...bun, runtime: { ...bun.runtime, errors: ['reading_failed:system_cpu'] } };
    expect(names(map(viewOf(failing)))).not.toContain('system.cpu.utilization');
  });
});
