/** A minimal valid heartbeat. */
export function beat(): Record<string, unknown> {
  return {
    id: 'n-1',
    service: 'svc',
    language: 'node',
    version: '22',
    pid: 1,
    hostname: 'h',
    platform: 'linux',
    cpu: { system: 1, process: 1, cores: 2 },
    memory: {
      system: { total: 10, free: 5, used: 5 },
      process: { rss: 1, heapTotal: 1, heapUsed: 1 },
    },
    runtime: { uptime: 1 },
    timestamp: 1_700_000_000_000,
  };
}
