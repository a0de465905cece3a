/**
 * Collector replies as the Pulse API sends them. The heartbeats are the SDK's fixtures of the
 * original agents (a Bun node and the Go agent with Laravel workers) plus the fields the
 * collector adds (`status`, `ageMs`, `lastSeenAt`); the other shapes follow the collector's
 * route tests.
 */

export const bunNode = {
  id: 'worker-01-48213',
  service: 'worker-orders',
  language: 'bun',
  version: '1.1.38',
  pid: 48213,
  hostname: 'worker-01',
  platform: 'linux',
  cpu: { system: 23, process: 4.17, cores: 8 },
  memory: {
    system: { total: 16777216000, free: 9126805504, used: 7650410496 },
    process: { rss: 98304000, heapTotal: 31457280, heapUsed: 20971520 },
  },
  queues: [{ name: 'default', driver: 'redis', size: { waiting: 12, active: 2, delayed: 3, failed: 0 } }],
  runtime: { uptime: 1234.56, framework: 'Quasar' },
  timestamp: 1767500000000,
  status: 'online',
  ageMs: 1850,
  lastSeenAt: 1767500000000,
};

export const goNode = {
  id: 'app-server-01-3121',
  service: 'my-laravel-app',
  language: 'go',
  version: 'go1.24.11',
  pid: 3121,
  hostname: 'app-server-01',
  platform: 'linux',
  cpu: { system: 37.45, process: 0.12, cores: 4 },
  memory: {
    system: { total: 8232222720, free: 5133336576, used: 2689560576 },
    process: { rss: 14155776, heapTotal: 14155776, heapUsed: 14155776 },
  },
  queues: [{ name: 'default', driver: 'redis', size: { waiting: 5, active: 2, failed: 0, delayed: 3 } }],
  runtime: { uptime: 3605.2, framework: 'Quasar', status: 'online' },
  meta: {
    laravel: {
      workerCount: 1,
      roots: ['/var/www/app'],
      workers: [{ pid: 4410, cmdline: 'php artisan queue:work redis --queue=default', memory: 41943040, cpu: 1.7342 }],
    },
  },
  timestamp: 1767499940000,
  status: 'stale',
  ageMs: 61250,
  lastSeenAt: 1767499940000,
};

/** A current SDK node with the extensions: event loop, container, checks. */
export const sdkNode = {
  id: 'api-7f9c-1',
  service: 'checkout',
  language: 'node',
  version: 'v20.20.2',
  pid: 1,
  hostname: 'api-7f9c',
  platform: 'linux',
  cpu: { system: 61.2, process: 143.5, cores: 2 },
  memory: {
    system: { total: 2147483648, free: 858993459, used: 1288490189, available: 858993459 },
    process: { rss: 312475648, heapTotal: 201326592, heapUsed: 150994944 },
  },
  runtime: { uptime: 86400 },
  eventLoop: { p50: 10.2, p99: 48.7, max: 120.4, utilization: 0.42 },
  container: { memoryLimit: 2147483648, cpuQuota: 2 },
  timestamp: 1767500001000,
  status: 'online',
  ageMs: 420,
  lastSeenAt: 1767500001000,
};

/** `GET /api/pulse/nodes`: nodes by service, each list sorted by id. */
export const nodesReply = {
  nodes: {
    checkout: [sdkNode],
    'my-laravel-app': [goNode],
    'worker-orders': [bunNode],
  },
  serverTime: 1767500001420,
};

/** `GET /api/pulse/queues`: the per-service queue snapshots. */
export const queuesReply = {
  queues: {
    'worker-orders': [
      {
        name: 'emails',
        driver: 'bullmq',
        size: { waiting: 120, active: 4, delayed: 7, failed: 2, completed: 5400 },
        failedSample: [{ id: '981', name: 'send-receipt', failedAt: 1767499990000, reason: 'SMTP 421' }],
        oldestWaitingAgeMs: 45000,
        paused: false,
        observedAt: 1767500000000,
      },
      {
        name: 'reports',
        driver: 'bullmq',
        size: { waiting: 0, active: 0, delayed: 0, failed: 0 },
        error: 'NOPERM this user has no permissions to run the llen command',
        observedAt: 1767500000000,
      },
    ],
    'my-laravel-app': [{ name: 'default', driver: 'redis', size: { waiting: 5, active: 2, failed: 0, delayed: 3 } }],
  },
  serverTime: 1767500001420,
};

/** `GET /api/pulse/slow`: newest first across services. */
export const slowReply = {
  entries: [
    {
      id: '1767500000500-0',
      service: 'checkout',
      kind: 'request',
      name: 'POST /orders',
      durationMs: 2350.4,
      thresholdMs: 1000,
      nodeId: 'api-7f9c-1',
      timestamp: 1767500000500,
      method: 'POST',
      route: '/orders',
      status: 201,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
    },
    {
      id: '1767499999000-0',
      service: 'worker-orders',
      kind: 'job',
      name: 'send-receipt',
      durationMs: 15020,
      thresholdMs: 5000,
      nodeId: 'worker-01-48213',
      timestamp: 1767499999000,
      queue: 'emails',
    },
  ],
  skipped: 0,
};

/** `GET /api/pulse/audit`: issued commands joined with their outcome. */
export const auditReply = {
  entries: [
    {
      id: 'cmd-2',
      entryId: '1767500000900-0',
      at: 1767500000900,
      actor: 'alice',
      actorKind: 'grafana-user',
      credential: 'write-token',
      action: 'RETRY_JOB',
      service: 'worker-orders',
      nodeId: 'worker-01-48213',
      queue: 'emails',
      scope: 'all-failed',
      jobId: '',
      deadline: 1767500030900,
      outcome: {
        status: 'succeeded',
        result: { commandId: 'cmd-2', status: 'succeeded', affected: 12, nodeId: 'worker-01-48213' },
      },
    },
    {
      id: 'cmd-1',
      entryId: '1767500000100-0',
      at: 1767500000100,
      actor: 'token',
      actorKind: 'token',
      credential: 'api-token',
      action: 'DELETE_JOB',
      service: 'worker-orders',
      nodeId: 'worker-01-48213',
      queue: 'reports',
      scope: 'job',
      jobId: '77',
      deadline: 1767500030100,
      outcome: {
        status: 'rejected',
        result: {
          commandId: 'cmd-1',
          status: 'rejected',
          reason: 'verb not enabled on queue reports',
          affected: 0,
          nodeId: 'worker-01-48213',
        },
      },
    },
  ],
};

/** `GET /api/pulse/slow` with a second request from another service, just over its threshold. */
export const slowReplyThreeEntries = {
  entries: [
    slowReply.entries[0],
    {
      id: '1767499999500-0',
      service: 'billing',
      kind: 'request',
      name: 'GET /invoices/:id',
      durationMs: 1200,
      thresholdMs: 1000,
      nodeId: 'billing-5d2e-1',
      timestamp: 1767499999500,
      method: 'GET',
      route: '/invoices/:id',
      status: 200,
    },
    slowReply.entries[1],
  ],
  skipped: 0,
};

/** `GET /api/pulse/audit` with the states a command can still be in, or end up in. */
export const auditReplyOtherOutcomes = {
  entries: [
    {
      id: 'cmd-5',
      entryId: '1767500001500-0',
      at: 1767500001500,
      actor: 'bob',
      actorKind: 'grafana-user',
      credential: 'write-token',
      action: 'RETRY_JOB',
      service: 'worker-orders',
      nodeId: 'worker-01-48213',
      queue: 'emails',
      scope: 'job',
      jobId: '981',
      deadline: 1767500031500,
      outcome: { status: 'pending' },
    },
    {
      id: 'cmd-4',
      entryId: '1767499000000-0',
      at: 1767499000000,
      actor: 'token',
      actorKind: 'token',
      credential: 'api-token',
      action: 'DELETE_JOB',
      service: 'worker-orders',
      nodeId: 'worker-02-51002',
      queue: 'emails',
      scope: 'job',
      jobId: '990',
      deadline: 1767499030000,
      outcome: { status: 'expired' },
    },
    {
      id: 'cmd-3',
      entryId: '1767498000000-0',
      at: 1767498000000,
      actor: 'alice',
      actorKind: 'grafana-user',
      credential: 'write-token',
      action: 'RETRY_JOB',
      service: 'worker-orders',
      nodeId: 'worker-01-48213',
      queue: 'emails',
      scope: 'all-failed',
      jobId: '',
      deadline: 1767498030000,
      outcome: {
        status: 'failed',
        result: {
          commandId: 'cmd-3',
          status: 'failed',
          reason: 'queue emails: connection lost',
          affected: 3,
          nodeId: 'worker-01-48213',
        },
      },
    },
  ],
};

/** A sparkline of `points` minutes with `counts` placed at its end, as the collector sends it. */
function sparkline(tail: number[], points = 60) {
  const counts = [...Array<number>(points - tail.length).fill(0), ...tail];
  return { startMs: 1767496440000, stepMs: 60_000, counts, maxMs: counts.map((n) => (n > 0 ? 2400 : 0)) };
}

/** `GET /api/pulse/slow/groups`: a request group with a trace, a job group without. */
export const slowGroupsReply = {
  groups: [
    {
      service: 'checkout',
      kind: 'request',
      name: 'POST /orders',
      count: 42,
      p50Ms: 1520.3,
      p95Ms: 2350.4,
      maxMs: 4100,
      lastSeenMs: 1767500000500,
      lastTraceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      sparkline: sparkline([3, 0, 5, 2]),
    },
    {
      service: 'worker-orders',
      kind: 'job',
      name: 'send-receipt',
      count: 3,
      p50Ms: 15020,
      p95Ms: 16000,
      maxMs: 16000,
      lastSeenMs: 1767499999000,
      sparkline: sparkline([1, 2]),
    },
  ],
  total: 2,
  serverTime: 1767500001000,
  scope: { replica: 'collector-a', services: ['checkout', 'worker-orders'] },
};

/** `GET /api/pulse/slow/groups/entries` for `checkout`'s `POST /orders`. */
export const slowGroupEntriesReply = {
  group: slowGroupsReply.groups[0],
  entries: [
    { ...slowReply.entries[0], service: undefined },
    {
      id: '1767499990000-0',
      kind: 'request',
      name: 'POST /orders',
      durationMs: 1180,
      thresholdMs: 1000,
      nodeId: 'api-7f9c-2',
      timestamp: 1767499990000,
      method: 'POST',
      route: '/orders',
      status: 201,
    },
  ],
  scope: { replica: 'collector-a' },
};
