/**
 * Ports for Redis Cluster nodes. A node also listens on its cluster bus port, its port plus
 * 10,000. A port the kernel hands out is in its ephemeral range, and so is, usually, the bus port
 * ten thousand above it: any client socket of the run may hold that one by the time the node
 * binds it, and the node exits. These ports are picked below the ephemeral range instead, where
 * no outgoing connection takes one, and both are bound once to check they are free.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The cluster bus listens this far above a node's port. */
export const BUS_PORT_OFFSET = 10_000;

const HOST = '127.0.0.1';
const LOWEST = 10_000;
/** Linux's default start of the ephemeral range, when the kernel's cannot be read. */
const DEFAULT_EPHEMERAL_LOW = 32_768;

/** The first port of the kernel's ephemeral range. */
function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    return low !== undefined && Number.isInteger(low) && low > 0 ? low : DEFAULT_EPHEMERAL_LOW;
  } catch {
    return DEFAULT_EPHEMERAL_LOW;
  }
}

/** True when `port` can be bound on loopback right now. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** The ports picked from: below the ephemeral range when it leaves room, else below 65,536. */
export function clusterPortRange(): { lowest: number; highest: number } {
  const low = ephemeralLow();
  const roomy = low - BUS_PORT_OFFSET - 1 > LOWEST + 1_000;
  return { lowest: LOWEST, highest: (roomy ? low : 65_536) - BUS_PORT_OFFSET - 1 };
}

/**
 * `count` ports, none in `avoid`, each free with its bus port free too: the range is walked from
 * a random port on, wrapping once, so a run's parallel clusters seldom meet and a range with no
 * free pair left fails rather than loops.
 */
export async function clusterPorts(count: number, avoid: ReadonlySet<number>): Promise<number[]> {
  const { lowest, highest } = clusterPortRange();
  const span = highest - lowest + 1;
  const start = Math.floor(Math.random() * span);
  const picked: number[] = [];
  for (let i = 0; i < span && picked.length < count; i++) {
    const port = lowest + ((start + i) % span);
    if (avoid.has(port)) continue;
    if ((await canBind(port)) && (await canBind(port + BUS_PORT_OFFSET))) picked.push(port);
  }
  if (picked.length < count) {
    throw new Error(`no ${count} free port pairs for Redis Cluster nodes in ${lowest}-${highest}`);
  }
  return picked;
}
