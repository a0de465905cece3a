import { FieldType, type DataFrame } from '@grafana/data';
import { readNodes } from '../../pulse/node';
import { goNode, nodesReply } from '../../testing/collectorReplies';
import { nodesFrame } from './nodes';

const column = (frame: DataFrame, name: string) => {
  const field = frame.fields.find((f) => f.name === name);
  if (!field) {
    throw new Error(`no field ${name}`);
  }
  return field;
};

describe('nodesFrame', () => {
  const frame = nodesFrame('A', nodesReply);

  it('has one row per node, in service order', () => {
    expect(frame.refId).toBe('A');
    expect(frame.length).toBe(3);
    expect(column(frame, 'service').values).toEqual(['checkout', 'my-laravel-app', 'worker-orders']);
    expect(column(frame, 'id').values).toEqual(['api-7f9c-1', 'app-server-01-3121', 'worker-01-48213']);
    expect(column(frame, 'language').values).toEqual(['node', 'go', 'bun']);
    expect(column(frame, 'status').values).toEqual(['online', 'stale', 'online']);
  });

  it('states CPU in percent and memory in bytes', () => {
    expect(column(frame, 'cpuSystem')).toMatchObject({ type: FieldType.number, config: { unit: 'percent' } });
    expect(column(frame, 'cpuSystem').values).toEqual([61.2, 37.45, 23]);
    expect(column(frame, 'cpuProcess').values).toEqual([143.5, 0.12, 4.17]);
    expect(column(frame, 'memoryUsed')).toMatchObject({ config: { unit: 'bytes' } });
    expect(column(frame, 'memoryUsed').values).toEqual([1288490189, 2689560576, 7650410496]);
    expect(column(frame, 'rss').values).toEqual([312475648, 14155776, 98304000]);
  });

  it('keeps the server-computed age and leaves absent extensions empty', () => {
    expect(column(frame, 'ageMs')).toMatchObject({ config: { unit: 'ms' } });
    expect(column(frame, 'ageMs').values).toEqual([420, 61250, 1850]);
    expect(column(frame, 'eventLoopP99').values).toEqual([48.7, null, null]);
    expect(column(frame, 'lastSeenAt')).toMatchObject({ type: FieldType.time });
  });

  it('reads no heap for the Go agent, which copies its RSS into both heap fields', () => {
    expect(column(frame, 'heapUsed').values).toEqual([150994944, null, 20971520]);
    expect(column(frame, 'rss').values[1]).toBe(goNode.memory.process.rss);
  });

  it('derives used memory from total − available when the agent sends no used figure', () => {
    const { total, free } = goNode.memory.system;
    const go = { ...goNode, memory: { ...goNode.memory, system: { total, free } } };
    const single = nodesFrame('A', { nodes: { [go.service]: [go] } });
    expect(column(single, 'memoryUsed').values).toEqual([total - free]);
  });

  it("falls back to the beat's own timestamp for a node the collector did not annotate", () => {
    const { status, ageMs, lastSeenAt, ...asWritten } = goNode;
    const single = nodesFrame('A', { nodes: { [goNode.service]: [asWritten] } });
    expect(column(single, 'lastSeenAt').values).toEqual([goNode.timestamp]);
    expect(column(single, 'status').values).toEqual(['unknown']);
  });

  it('shows every node as the Pulse page reads it', () => {
    const nodes = readNodes(nodesReply);
    expect(column(frame, 'id').values).toEqual(nodes.map((n) => n.id));
    expect(column(frame, 'memoryUsed').values).toEqual(nodes.map((n) => n.memory.usedBytes));
    expect(column(frame, 'heapUsed').values).toEqual(nodes.map((n) => n.memory.heapUsedBytes));
    expect(column(frame, 'lastSeenAt').values).toEqual(nodes.map((n) => n.lastSeenAt));
  });

  it('returns an empty frame with every field when no node reports', () => {
    const empty = nodesFrame('A', { nodes: {}, serverTime: 1 });
    expect(empty.length).toBe(0);
    expect(empty.fields.map((f) => f.name)).toContain('cpuSystem');
  });

  it('skips malformed nodes and rejects a reply without nodes', () => {
    expect(nodesFrame('A', { nodes: { svc: [null, 'x', { hostname: 'no-id' }, { id: 'n1' }] } }).length).toBe(1);
    expect(() => nodesFrame('A', { error: { code: 'QUASAR_NOT_READY' } })).toThrow(/no "nodes" object/);
  });
});
