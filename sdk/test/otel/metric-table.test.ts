import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_METRICS, pointsOf, readingFailed, resourceAttributesOf } from '../../src';
import { parseHeartbeat } from '../../src/schema';
import type { Heartbeat } from '../../src/schema';
import { original } from '../schema/fixtures';

function heartbeat(name: string): Heartbeat {
  const parsed = parseHeartbeat(original(name));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

const metric = (name: string) => {
  const found = NODE_METRICS.find((m) => m.name === name);
  if (!found) throw new Error(`no metric ${name}`);
  return found;
};

describe('NODE_METRICS', () => {
  const bun = heartbeat('heartbeat-node-sdk-bun.json');
  const go = heartbeat('heartbeat-go-agent-laravel.json');

  it('converts percentages to 0–1 ratios and process CPU to a share of all cores', () => {
    expect(pointsOf(metric('system.cpu.utilization'), bun)).toEqual([{ value: 0.23 }]);
    expect(pointsOf(metric('process.cpu.utilization'), bun)[0]?.value).toBeCloseTo(4.17 / 100 / 8);
  });

  it('reports used and available memory under system.memory.state', () => {
    expect(pointsOf(metric('system.memory.usage'), go)).toEqual([
      { value: 2689560576, attributes: { 'system.memory.state': 'used' } },
      { value: 5133336576, attributes: { 'system.memory.state': 'free' } },
    ]);
  });

  it('does not invent a V8 heap for the Go agent', () => {
    expect(pointsOf(metric('v8js.memory.heap.used'), go)).toEqual([]);
    expect(pointsOf(metric('v8js.memory.heap.used'), bun)).toEqual([{ value: 20971520 }]);
  });

  it('converts event-loop delays from ms to seconds', () => {
    const hb = { ...bun, eventLoop: { p50: 1.5, p99: 20, max: 250, utilization: 0.4 } };
    expect(pointsOf(metric('nodejs.eventloop.delay.p99'), hb)).toEqual([{ value: 0.02 }]);
    expect(pointsOf(metric('nodejs.eventloop.utilization'), hb)).toEqual([{ value: 0.4 }]);
  });

  it('emits nothing for a reading the node reports as failed, rather than a false zero', () => {
    const hb = { ...bun, runtime: { ...bun.runtime, errors: ['reading_failed:system_cpu'] } };
    expect(pointsOf(metric('system.cpu.utilization'), hb)).toEqual([]);
    expect(pointsOf(metric('process.memory.usage'), hb)).toEqual([{ value: 98304000 }]);
  });

  it('emits nothing for extensions the originals never wrote', () => {
    expect(pointsOf(metric('quasar.system.load_average.1m'), go)).toEqual([]);
    expect(pointsOf(metric('nodejs.eventloop.delay.p50'), go)).toEqual([]);
    expect(pointsOf(metric('quasar.container.cpu.quota'), go)).toEqual([]);
  });

  it('reads each point without allocating exactly as its points list it', () => {
    const failing = { ...bun, runtime: { ...bun.runtime, errors: ['reading_failed:event_loop'] } };
    for (const hb of [bun, go, failing]) {
      for (const m of NODE_METRICS) {
        const expected = readingFailed(m, hb) ? [] : m.points(hb);
        const read = readingFailed(m, hb)
          ? []
          : m.pointAttributes.flatMap((attributes, i) => {
              const value = m.value(hb, i);
              if (value === undefined) return [];
              return [attributes === undefined ? { value } : { value, attributes }];
            });
        expect({ name: m.name, points: read }).toEqual({ name: m.name, points: expected });
        expect(pointsOf(m, hb)).toEqual(expected);
      }
    }
    expect(readingFailed(metric('nodejs.eventloop.delay.p50'), failing)).toBe(true);
    expect(readingFailed(metric('system.cpu.utilization'), failing)).toBe(false);
  });

  it('counts a non-finite value as none', () => {
    const hb = { ...bun, cpu: { ...bun.cpu, system: Number.NaN } };
    expect(metric('system.cpu.utilization').value(hb, 0)).toBeUndefined();
    expect(pointsOf(metric('system.cpu.utilization'), hb)).toEqual([]);
  });

  it('has one unique name per metric', () => {
    expect(new Set(NODE_METRICS.map((m) => m.name)).size).toBe(NODE_METRICS.length);
  });

  it('is documented in docs/metrics.md, name and unit', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'metrics.md'), 'utf8');
    const documented = new Map(
      doc
        .split('\n')
        .map((line) => line.split('|').map((cell) => cell.trim().replace(/`/g, '')))
        .filter((cells) => cells.length > 3)
        .map((cells) => [cells[1], cells[2]]),
    );
    for (const m of NODE_METRICS) {
      expect({ name: m.name, unit: documented.get(m.name) }).toEqual({
        name: m.name,
        unit: m.unit,
      });
    }
  });
});

describe('resourceAttributesOf', () => {
  it('describes the Go agent as its own resource', () => {
    expect(resourceAttributesOf(heartbeat('heartbeat-go-agent-laravel.json'))).toEqual({
      'service.name': 'my-laravel-app',
      'service.instance.id': 'app-server-01-3121',
      'host.name': 'app-server-01',
      'process.pid': 3121,
      'process.runtime.name': 'go',
      'process.runtime.version': 'go1.24.11',
      'os.type': 'linux',
    });
  });

  it('names Node "nodejs" without the v prefix, and win32 "windows"', () => {
    const attrs = resourceAttributesOf({
      service: 's',
      id: 'h-1',
      hostname: 'h',
      pid: 1,
      language: 'node',
      version: 'v20.10.0',
      platform: 'win32',
    });
    expect(attrs['process.runtime.name']).toBe('nodejs');
    expect(attrs['process.runtime.version']).toBe('20.10.0');
    expect(attrs['os.type']).toBe('windows');
  });
});
