import { bunNode, goNode, nodesReply, sdkNode } from '../testing/collectorReplies';
import { MAX_CHECKS, MAX_ID_LENGTH, MAX_TEXT_LENGTH } from '../api/limits';
import { readNode, readNodes } from './node';

/** The heartbeat as the agent wrote it, without the collector's verdict. */
function original(node: Record<string, unknown>): Record<string, unknown> {
  const beat = { ...node };
  delete beat.status;
  delete beat.ageMs;
  delete beat.lastSeenAt;
  return beat;
}

describe('readNode', () => {
  it('reads the original Bun SDK heartbeat', () => {
    const node = readNode(original(bunNode))!;
    expect(node).toMatchObject({
      id: 'worker-01-48213',
      service: 'worker-orders',
      language: 'bun',
      pid: 48213,
      hostname: 'worker-01',
      platform: 'linux',
      status: 'unknown',
      lastSeenAt: 1767500000000,
      uptimeSeconds: 1234.56,
      cpu: { systemPercent: 23, processPercent: 4.17, cores: 8 },
      memory: { totalBytes: 16777216000, usedBytes: 7650410496, rssBytes: 98304000, heapUsedBytes: 20971520 },
      eventLoop: null,
      container: null,
      checks: [],
      laravel: null,
    });
  });

  it('reads the original Go agent with Laravel workers, dropping the heap it copies from RSS', () => {
    const node = readNode(goNode)!;
    expect(node.status).toBe('stale');
    expect(node.ageMs).toBe(61250);
    expect(node.memory.heapUsedBytes).toBeNull();
    expect(node.memory.heapTotalBytes).toBeNull();
    expect(node.runtimeStatus).toBe('online');
    expect(node.laravel).toEqual({
      workerCount: 1,
      roots: ['/var/www/app'],
      workers: [
        {
          pid: 4410,
          cmdline: 'php artisan queue:work redis --queue=default',
          memoryBytes: 41943040,
          cpuPercent: 1.7342,
          status: null,
        },
      ],
    });
  });

  it('reads the extensions: event loop, container, checks', () => {
    const node = readNode({
      ...sdkNode,
      checks: [
        {
          name: 'api',
          type: 'http',
          target: 'https://x.test',
          up: false,
          latencyMs: 12.3,
          status: 503,
          error: 'HTTP 503',
          certDaysLeft: 9,
          checkedAt: 5,
        },
        { name: 'db', type: 'tcp', target: 'db:5432', up: true, latencyMs: '1' },
        { name: 'no verdict', type: 'http' },
        'junk',
      ],
    })!;
    expect(node.eventLoop).toEqual({ p50Ms: 10.2, p99Ms: 48.7, maxMs: 120.4, utilization: 0.42 });
    expect(node.container).toEqual({ memoryLimitBytes: 2147483648, cpuQuotaCores: 2 });
    expect(node.memory.availableBytes).toBe(858993459);
    expect(node.checks).toEqual([
      {
        name: 'api',
        type: 'http',
        target: 'https://x.test',
        up: false,
        latencyMs: 12.3,
        statusCode: 503,
        method: null,
        error: 'HTTP 503',
        certDaysLeft: 9,
        checkedAt: 5,
      },
      expect.objectContaining({ name: 'db', type: 'tcp', up: true, latencyMs: null }),
    ]);
  });

  it('tolerates missing and mistyped fields', () => {
    const node = readNode({
      id: 'n1',
      language: 42,
      pid: '12',
      cpu: 'busy',
      memory: { system: { total: 1000, free: 250 }, process: null },
      runtime: { uptime: NaN, errors: ['reading_failed:loadavg', 3] },
      status: 'sleeping',
      eventLoop: {},
      container: { memoryLimit: 'big' },
      checks: 'none',
      meta: { laravel: { workers: [{ pid: 1, memory: '1' }, null], roots: null } },
    })!;
    expect(node).toMatchObject({
      id: 'n1',
      service: '',
      language: null,
      pid: null,
      status: 'unknown',
      uptimeSeconds: null,
      cpu: { systemPercent: null, processPercent: null, cores: null },
      memory: { totalBytes: 1000, availableBytes: 250, usedBytes: 750, rssBytes: null },
      eventLoop: null,
      container: null,
      checks: [],
      laravel: { workerCount: 1, roots: [], workers: [{ pid: 1, memoryBytes: null }] },
      runtimeErrors: ['reading_failed:loadavg'],
    });
  });

  it('returns null without an id to show', () => {
    expect(readNode(null)).toBeNull();
    expect(readNode([])).toBeNull();
    expect(readNode({ hostname: 'h' })).toBeNull();
  });
});

describe('readNodes', () => {
  it('reads every node of the nodes reply, with the service from the grouping', () => {
    expect(readNodes(nodesReply).map((n) => `${n.service}/${n.id}`)).toEqual([
      'checkout/api-7f9c-1',
      'my-laravel-app/app-server-01-3121',
      'worker-orders/worker-01-48213',
    ]);
    expect(readNodes({ nodes: { s: [{ id: 'x' }, 'junk'] } }).map((n) => n.service)).toEqual(['s']);
    expect(readNodes({ nodes: null })).toEqual([]);
  });
});

describe('readNode bounds', () => {
  it('reads no time past what Date can show, and clamps the system CPU to 100%', () => {
    const node = readNode({
      ...sdkNode,
      lastSeenAt: 1e16,
      timestamp: -5,
      cpu: { system: 100.4, process: 250, cores: 2 },
    })!;
    expect(node.lastSeenAt).toBeNull();
    expect(node.cpu).toEqual({ systemPercent: 100, processPercent: 250, cores: 2 });
  });

  it('reads at most MAX_CHECKS checks and cuts a long hostname', () => {
    const checks = Array.from({ length: MAX_CHECKS + 10 }, (_, i) => ({ name: `c${i}`, up: true }));
    const node = readNode({ ...sdkNode, checks, hostname: 'h'.repeat(10_000) })!;
    expect(node.checks).toHaveLength(MAX_CHECKS);
    expect(node.hostname).toHaveLength(MAX_TEXT_LENGTH);
  });

  it('drops a node whose id or service is too long to be one', () => {
    expect(readNode({ ...sdkNode, id: 'n'.repeat(MAX_ID_LENGTH + 1) })).toBeNull();
    expect(readNode({ ...sdkNode, service: 's'.repeat(MAX_ID_LENGTH + 1) })).toBeNull();
  });
});
