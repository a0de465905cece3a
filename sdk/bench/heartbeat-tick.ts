/**
 * One heartbeat tick as `QuasarAgent` runs it each interval, without the interval timer:
 * sample, build the payload, serialise it, write it to Redis and wait for the reply. Built from
 * the same internals the agent uses, so the benchmark measures the shipped code path.
 */
import type { Redis } from 'ioredis';
import { identityOf } from '../src/heartbeat/identity';
import type { NodeIdentity } from '../src/heartbeat/identity';
import { Heartbeater } from '../src/heartbeat/heartbeater';
import { Sampler } from '../src/heartbeat/sampler';
import { DEFAULTS } from '../src/options/defaults';
import { EventLoopMonitor } from '../src/readings/event-loop';
import { readHostFacts } from '../src/readings/host';
import type { Heartbeat, JobStats } from '../src/schema';

/** A ready-to-run tick and the resources it holds. */
export interface HeartbeatTick {
  /** Who the heartbeat describes. */
  readonly identity: NodeIdentity;
  /** The heartbeat key written on each run. */
  readonly key: string;
  /** Runs one full tick and returns the heartbeat it wrote. Rejects when the write fails. */
  run(): Promise<Heartbeat>;
  /** Deletes the heartbeat and stops the event-loop monitor. */
  stop(): Promise<void>;
}

/** Sets up identity, sampler and event-loop monitor as `QuasarAgent` does on `start()`. */
export function createHeartbeatTick(
  client: Redis,
  service: string,
  jobs?: () => JobStats[],
): HeartbeatTick {
  const host = readHostFacts();
  const identity = identityOf(host, { service, name: undefined, intervalMs: DEFAULTS.intervalMs });
  const eventLoop = new EventLoopMonitor();
  eventLoop.start();
  const sampler = new Sampler(DEFAULTS.hostRoot, host, eventLoop);
  // No legacy probe is configured, as by default, so the probe step is a no-op.
  const heartbeater = new Heartbeater({ identity, sampler, selfExport: false, jobs });

  return {
    identity,
    key: heartbeater.key,
    async run() {
      const heartbeat = await heartbeater.build();
      await heartbeater.write(client, heartbeat);
      return heartbeat;
    },
    async stop() {
      eventLoop.stop();
      await heartbeater.remove(client);
    },
  };
}
