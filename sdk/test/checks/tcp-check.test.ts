/** One TCP check run against a real loopback listener and a closed port. */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { resolveCheck } from '../../src/checks/check-options';
import type { ResolvedTcpCheck } from '../../src/checks/check-options';
import { errorText, runTcpCheck } from '../../src/checks/tcp-check';
import { eventually } from '../../../testing/redis';
import { close, closedPort, listen } from './support';

const tcp = (host: string, port: number): ResolvedTcpCheck =>
  resolveCheck('redis', { type: 'tcp', host, port }) as ResolvedTcpCheck;

describe('runTcpCheck', () => {
  let server: Server;
  let port: number;
  const open = new Set<Socket>();

  beforeAll(async () => {
    server = createServer((socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    port = await listen(server);
  });
  afterAll(() => close(server));

  it('reports a listening port as up, with the connect latency and run time', async () => {
    const before = Date.now();
    const result = await runTcpCheck(tcp('127.0.0.1', port));
    expect(result).toEqual({
      name: 'redis',
      type: 'tcp',
      target: `127.0.0.1:${port}`,
      up: true,
      latencyMs: expect.any(Number),
      checkedAt: expect.any(Number),
    });
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.checkedAt).toBeGreaterThanOrEqual(before);
  });

  it('closes the connection it opened', async () => {
    await runTcpCheck(tcp('127.0.0.1', port));
    await eventually(() => (open.size === 0 ? true : undefined), 5000, 'the connection to close');
  });

  it('reports a closed port as down with ECONNREFUSED', async () => {
    const closed = await closedPort();
    const result = await runTcpCheck(tcp('127.0.0.1', closed));
    expect(result).toMatchObject({
      up: false,
      error: 'ECONNREFUSED',
      target: `127.0.0.1:${closed}`,
    });
  });

  it('writes an IPv6 target in brackets', () => {
    expect(tcp('::1', 6379).target).toBe('[::1]:6379');
    expect(tcp('[::1]', 6379)).toMatchObject({ host: '::1', target: '[::1]:6379' });
  });
});

describe('errorText', () => {
  it('prefers the error code, then the message, then the text', () => {
    expect(
      errorText(
        Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:80'), { code: 'ECONNREFUSED' }),
      ),
    ).toBe('ECONNREFUSED');
    expect(errorText(new Error('socket hang up'))).toBe('socket hang up');
    expect(errorText('DEPTH_ZERO_SELF_SIGNED_CERT')).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('reports the first attempt of a failed multi-address connect', () => {
    const attempt = Object.assign(new Error('connect ECONNREFUSED ::1:80'), {
      code: 'ECONNREFUSED',
    });
    expect(errorText(new AggregateError([attempt], ''))).toBe('ECONNREFUSED');
  });
});
