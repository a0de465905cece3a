import { QuasarKeys, heartbeatTtlSeconds, parseNodeKey } from '../../src/schema';

describe('QuasarKeys', () => {
  it('builds the heartbeat key the originals write', () => {
    expect(QuasarKeys.node('worker-orders', 'worker-01-48213')).toBe(
      'gravito:quasar:node:worker-orders:worker-01-48213',
    );
  });

  it('names the node index, queue hash, slow log and command keys', () => {
    expect(QuasarKeys.nodeIndex).toBe('gravito:quasar:nodes');
    expect(QuasarKeys.nodeScanPattern).toBe('gravito:quasar:node:*');
    expect(QuasarKeys.queues('api')).toBe('gravito:quasar:queues:api');
    expect(QuasarKeys.slowLog('api')).toBe('gravito:quasar:slow:api');
    expect(QuasarKeys.commandChannel('api', 'web-1-42')).toBe('gravito:quasar:cmd:api:web-1-42');
    expect(QuasarKeys.broadcastChannel('api')).toBe('gravito:quasar:cmd:api:*');
    expect(QuasarKeys.commandResult('c-1')).toBe('gravito:quasar:cmd:result:c-1');
    expect(QuasarKeys.commandResultsChannel).toBe('gravito:quasar:cmd:results');
    expect(QuasarKeys.commandJob('c-1')).toBe('gravito:quasar:cmd:job:c-1');
    expect(QuasarKeys.commandClaim('c-1')).toBe('gravito:quasar:cmd:claim:c-1');
    expect(QuasarKeys.commandIssued('c-1')).toBe('gravito:quasar:cmd:issued:c-1');
    expect(QuasarKeys.audit).toBe('gravito:quasar:audit');
  });

  it("names a service's pause records, hash-tagged like its v2 keys", () => {
    expect(QuasarKeys.queuePauses('shop')).toBe('gravito:quasar:paused:{shop}');
  });

  it('names the collector replicas, their leases and the stream index', () => {
    expect(QuasarKeys.collectors).toBe('gravito:quasar:collectors');
    expect(QuasarKeys.lease('api')).toBe('gravito:quasar:lease:service:api');
    expect(QuasarKeys.scanLease).toBe('gravito:quasar:lease:scan');
    expect(QuasarKeys.leasePattern).toBe('gravito:quasar:lease:*');
    expect(QuasarKeys.streamIndex).toBe('gravito:quasar:streams');
    // No service name can make its lease the scan lease: a service holds no `:`.
    expect(QuasarKeys.lease('scan')).not.toBe(QuasarKeys.scanLease);
  });

  it('parses a heartbeat key back, splitting at the first colon', () => {
    expect(parseNodeKey('gravito:quasar:node:api:web-1-42')).toEqual({
      service: 'api',
      nodeId: 'web-1-42',
      layout: 'v1',
    });
    expect(parseNodeKey('gravito:quasar:node:api:host:with:colons-1')).toEqual({
      service: 'api',
      nodeId: 'host:with:colons-1',
      layout: 'v1',
    });
    expect(parseNodeKey('gravito:quasar:nodes')).toBeUndefined();
    expect(parseNodeKey('gravito:quasar:node:api:')).toBeUndefined();
  });

  it('keeps a heartbeat for three intervals and never less than 30 s', () => {
    expect(heartbeatTtlSeconds(10_000)).toBe(30);
    expect(heartbeatTtlSeconds(1_000)).toBe(30);
    expect(heartbeatTtlSeconds(60_000)).toBe(180);
    expect(heartbeatTtlSeconds(10_500)).toBe(32);
  });
});
