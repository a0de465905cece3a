/**
 * Starts a private Redis Cluster for tests and benchmarks: 3 primaries and 3 replicas, each a
 * real `redis-server --cluster-enabled yes` on a free loopback port in a temporary directory
 * (see `./cluster-ports.ts`; a node that cannot bind is started again on other ports), joined
 * by `redis-cli --cluster create`. Ready once every node reports `cluster_state:ok` and
 * every replica's link to its primary is up (about 3 s with a diskless sync and no delay).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { clusterPorts } from './cluster-ports';
import { hasRedisServer } from './redis-server';

export interface RedisClusterOptions {
  /** Primaries (default 3); each gets `replicas` replicas. */
  primaries?: number;
  /** Replicas per primary (default 1). */
  replicas?: number;
  /** `cluster-node-timeout` in ms (default 1000, so a failover completes in about 2 s). */
  nodeTimeoutMs?: number;
}

export interface ClusterNode {
  readonly port: number;
  /** `host:port` of this node. */
  readonly address: string;
  /** SIGKILLs this node (a crash); `restart` brings it back with its data directory. */
  kill(): Promise<void>;
  restart(): Promise<void>;
}

export interface RedisCluster {
  readonly nodes: readonly ClusterNode[];
  /** `host:port,host:port,…` of every node. */
  readonly seeds: string;
  /** The `redis+cluster://` URL every Quasar component accepts. */
  readonly url: string;
  /** The node serving `key`'s slot as primary right now. */
  primaryFor(key: string): Promise<ClusterNode>;
  /** Stops every node and removes the directory. */
  stop(): Promise<void>;
}

/** Why a cluster cannot be started here, or undefined when it can. */
export function redisClusterProblem(): string | undefined {
  if (!hasRedisServer()) return 'redis-server is not on the PATH (apt-get install -y redis-server)';
  const cli = spawnSync('redis-cli', ['--version'], { stdio: 'ignore' });
  if (cli.status !== 0) return 'redis-cli is not on the PATH (apt-get install -y redis-tools)';
  return undefined;
}

const HOST = '127.0.0.1';
/** How much of a node's output an error quotes. */
const OUTPUT_TAIL = 4096;
/** Ports a node that cannot bind is tried on before the cluster's start fails. */
const START_ATTEMPTS = 3;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
}

async function info(port: number, section: string): Promise<string> {
  const client = new Redis({
    host: HOST,
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return section === 'cluster'
      ? String(await client.call('CLUSTER', 'INFO'))
      : await client.info(section);
  } finally {
    client.disconnect();
  }
}

class NodeProcess implements ClusterNode {
  private child: ChildProcess | undefined;
  readonly address: string;

  constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly nodeTimeoutMs: number,
  ) {
    this.address = `${HOST}:${port}`;
  }

  async start(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      HOST,
      '--dir',
      this.dir,
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      String(this.nodeTimeoutMs),
      '--save',
      '',
      '--appendonly',
      'no',
      '--repl-diskless-sync',
      'yes',
      '--repl-diskless-sync-delay',
      '0',
    ];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    // redis-server logs to stdout, why it exits included: the last few KB of both are kept.
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_TAIL));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const failed = new Promise<never>((_, reject) => {
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(
          new Error(`redis-server (cluster node ${this.port}) exited with ${code}: ${output}`),
        ),
      );
    });
    failed.catch(() => undefined);
    await Promise.race([
      until(
        async () => (await info(this.port, 'server')).includes('redis_version'),
        10_000,
        `node ${this.port}`,
      ),
      failed,
    ]);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.removeAllListeners('exit');
    child.kill('SIGKILL');
    await exited(child);
    this.child = undefined;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }
}

/**
 * Starts one node on `port`; a node that exits at start (another process bound its port or bus
 * port in the meantime) is started again on another. Every node started is put in `all`, so a
 * failing start still stops it.
 */
async function startNode(
  root: string,
  port: number,
  tried: Set<number>,
  nodeTimeoutMs: number,
  all: NodeProcess[],
): Promise<NodeProcess> {
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    if (attempt > 0) {
      [port] = (await clusterPorts(1, tried)) as [number];
      tried.add(port);
    }
    const dir = join(root, String(port));
    mkdirSync(dir);
    const node = new NodeProcess(port, dir, nodeTimeoutMs);
    all.push(node);
    try {
      await node.start();
      return node;
    } catch (error) {
      lastError = error;
      await node.kill();
      all.splice(all.indexOf(node), 1);
    }
  }
  throw lastError;
}

function runCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`redis-cli ${args.join(' ')} exited ${code}: ${out}`)),
    );
  });
}

/** Starts the cluster and resolves once it serves every slot with every replica in sync. */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const primaries = options.primaries ?? 3;
  const replicas = options.replicas ?? 1;
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 1000;
  const root = mkdtempSync(join(tmpdir(), 'quasar-cluster-'));
  const count = primaries * (1 + replicas);
  const nodes: NodeProcess[] = [];
  const stopAll = async () => {
    await Promise.all(nodes.map((node) => node.kill()));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const first = await clusterPorts(count, new Set());
    const tried = new Set(first);
    const started = await Promise.all(
      first.map((port) => startNode(root, port, tried, nodeTimeoutMs, nodes)),
    );
    nodes.splice(0, nodes.length, ...started);
    await runCli([
      '--cluster',
      'create',
      ...nodes.map((node) => node.address),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]);
    await until(
      async () => {
        for (const node of nodes) {
          if (!(await info(node.port, 'cluster')).includes('cluster_state:ok')) return false;
          const replication = await info(node.port, 'replication');
          if (replication.includes('role:slave') && !replication.includes('master_link_status:up'))
            return false;
        }
        return true;
      },
      30_000,
      'cluster_state:ok on every node and every replica linked',
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  const seeds = nodes.map((node) => node.address).join(',');
  return {
    nodes,
    seeds,
    url: `redis+cluster://${seeds}`,
    async primaryFor(key: string) {
      for (const node of nodes) {
        const client = new Redis({
          host: HOST,
          port: node.port,
          lazyConnect: true,
          retryStrategy: () => null,
        });
        client.on('error', () => undefined);
        try {
          await client.connect();
          const slot = Number(await client.call('CLUSTER', 'KEYSLOT', key));
          const shards = (await client.call('CLUSTER', 'SLOTS')) as [
            number,
            number,
            [string, number],
          ][];
          for (const [from, to, [, port]] of shards) {
            if (slot >= from && slot <= to) {
              const owner = nodes.find((n) => n.port === Number(port));
              if (owner) return owner;
            }
          }
        } catch {
          // a dead node: ask the next one
        } finally {
          client.disconnect();
        }
      }
      throw new Error(`no live node serves the slot of ${key}`);
    },
    stop: stopAll,
  };
}
