import type { HostFacts } from '../readings/host';
import { detectRuntime } from '../readings/runtime';

/** Who a node is: fixed for the life of an agent, shared by the payload and the OTel resource. */
import type { RuntimeInfo } from '../readings/runtime';

export interface NodeIdentity {
  service: string;
  /** `{name or hostname}-{pid}`. */
  nodeId: string;
  /** The `name` option, or else the OS hostname (the originals' rule). */
  hostname: string;
  platform: string;
  osType: string;
  pid: number;
  runtime: RuntimeInfo;
  /** Epoch ms when the agent started. */
  startedAt: number;
  intervalMs: number;
}

/** The originals' node id rule. */
export function nodeIdOf(nameOrHostname: string, pid: number): string {
  return `${nameOrHostname}-${pid}`;
}

/** The identity of this process, as an agent with these settings reports it. */
export function identityOf(
  host: HostFacts,
  settings: { service: string; name: string | undefined; intervalMs: number },
): NodeIdentity {
  const hostname = settings.name ?? host.hostname;
  return {
    service: settings.service,
    nodeId: nodeIdOf(hostname, process.pid),
    hostname,
    platform: host.platform,
    osType: host.osType,
    pid: process.pid,
    runtime: detectRuntime(),
    startedAt: Date.now(),
    intervalMs: settings.intervalMs,
  };
}
