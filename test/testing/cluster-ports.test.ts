/**
 * The ports the test runs' Redis Clusters bind: each with its bus port free, both out of the
 * kernel's ephemeral range, so no client socket of the run can hold one when the node binds it.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { BUS_PORT_OFFSET, clusterPortRange, clusterPorts } from '../../testing/cluster-ports';

const listen = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

describe('clusterPorts', () => {
  it('picks distinct ports whose bus ports are free, below the ephemeral range', async () => {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    const ports = await clusterPorts(6, new Set());
    expect(new Set(ports).size).toBe(6);
    for (const port of ports) {
      expect(port + BUS_PORT_OFFSET).toBeLessThan(low!);
      // Both bind: a node on this port starts.
      const servers = [await listen(port), await listen(port + BUS_PORT_OFFSET)];
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    }
  });

  it('never picks a port to avoid, nor one whose bus port is taken', async () => {
    const { lowest, highest } = clusterPortRange();
    const [x] = await clusterPorts(1, new Set());
    const [y] = await clusterPorts(1, new Set([x!]));
    // Every port of the range is to be avoided but x and y.
    const avoid = new Set<number>();
    for (let port = lowest; port <= highest; port++) if (port !== x && port !== y) avoid.add(port);
    const taken = [await listen(x! + BUS_PORT_OFFSET)];
    try {
      expect(await clusterPorts(1, avoid)).toEqual([y]);
      taken.push(await listen(y! + BUS_PORT_OFFSET));
      await expect(clusterPorts(1, avoid)).rejects.toThrow(/no 1 free port pairs/);
    } finally {
      await Promise.all(taken.map((s) => new Promise((r) => s.close(r))));
    }
  });
});
