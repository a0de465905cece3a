/**
 * The latest picture of the fleet, refreshed by the one cycle loop and shared by every API
 * request and SSE client: no client ever triggers a Redis read of its own.
 */
import { EventEmitter } from 'node:events';
import type { NodeView } from '../nodes/node-view';
import type { ServiceQueues } from '../mapping/queues';
import { QueueHistory } from '../history/queue-history';

export interface PulseSnapshot {
  /** The cycle that produced it. */
  cycle: number;
  /** The Redis server's clock at the read, epoch ms. */
  serverTimeMs: number;
  nodes: readonly NodeView[];
  queues: readonly ServiceQueues[];
}

export class PulseState extends EventEmitter<{ update: [PulseSnapshot] }> {
  private current: PulseSnapshot | undefined;
  /** Services that have a slow-log stream but maybe no live node (found by SCAN). */
  private streamServices: ReadonlySet<string> = new Set();
  /** @param history where each published snapshot's queues are recorded */
  constructor(readonly history: QueueHistory = new QueueHistory()) {
    super();
  }

  get snapshot(): PulseSnapshot | undefined {
    return this.current;
  }

  publish(snapshot: PulseSnapshot): void {
    this.current = snapshot;
    try {
      this.history.record(snapshot.serverTimeMs, snapshot.queues);
    } catch {
      this.history.failures++;
    }
    this.emit('update', snapshot);
  }

  setStreamServices(services: ReadonlySet<string>): void {
    this.streamServices = services;
  }

  /** Every service the fleet has (nodes, queues, or a slow-log stream). */
  services(): string[] {
    const set = new Set<string>(this.streamServices);
    for (const view of this.current?.nodes ?? []) set.add(view.heartbeat.service);
    for (const q of this.current?.queues ?? []) set.add(q.service);
    return [...set].sort();
  }
}
