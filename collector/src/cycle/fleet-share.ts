/**
 * The collector's side of the replicas: which services the cycle may export, the one lease
 * step per cycle, and what `/metrics` says about it. A collector without a metrics exporter
 * takes no lease (it exports nothing) and treats every service as its own.
 */
import type { RedisClient } from '@gravito/quasar';
import { ReplicaCoordinator } from '../replicas/replica-coordinator';
import type { ReplicaStep } from '../replicas/replica-coordinator';
import type { ReplicaStats } from '../self/stats';
import { describeError } from '../util/describe-error';
import type { PulseSnapshot } from './pulse-state';

export interface FleetShareOptions {
  readonly replicaId: string;
  readonly leaseTtlMs: number;
  readonly logger: {
    info(fields: Record<string, unknown>, message: string): void;
    error(fields: Record<string, unknown>, message: string): void;
  };
}

export class FleetShare {
  private readonly replicas: ReplicaCoordinator | undefined;

  /** @param takesLeases - whether this collector exports metrics, and so shares them. */
  constructor(
    redis: RedisClient,
    takesLeases: boolean,
    private readonly options: FleetShareOptions,
  ) {
    if (!takesLeases) return;
    this.replicas = new ReplicaCoordinator(redis, {
      replicaId: options.replicaId,
      leaseTtlMs: options.leaseTtlMs,
      onError: (error, what) =>
        options.logger.error(
          { err: describeError(error) },
          `replica ${what} failing: services whose lease is not renewed are not exported`,
        ),
      onRecovered: (what) => options.logger.info({}, `replica ${what} working again`),
    });
  }

  /** Joins the replicas; resolves after the first announcement, failed or not. */
  start(): Promise<void> {
    return this.replicas?.start() ?? Promise.resolve();
  }

  /**
   * The cycle's lease step over every service of the snapshot and of the slow-log streams:
   * one round trip, never throws. Logs when leases changed hands.
   */
  async step(
    snapshot: PulseSnapshot | undefined,
    streams: ReadonlySet<string>,
  ): Promise<ReplicaStep> {
    const services = new Set(streams);
    for (const view of snapshot?.nodes ?? []) services.add(view.heartbeat.service);
    for (const q of snapshot?.queues ?? []) services.add(q.service);
    if (!this.replicas) return { owned: services, acquired: [], regained: [] };
    const step = await this.replicas.step(services);
    const { acquired, lost, released } = this.replicas.lastChanges;
    if (acquired + lost + released > 0) {
      this.options.logger.info(
        {
          acquired,
          lost,
          released,
          owned: step.owned.size,
          services: services.size,
          replicas: this.replicas.liveReplicas,
        },
        'service leases changed',
      );
    }
    return step;
  }

  /**
   * Settles with `work`, renewing the leases every third of their TTL meanwhile: an export the
   * caller waits for (`--once`, a forced cycle) may outlast the leases' deadline, with no cycle
   * running to renew them, and would otherwise lose its last services.
   */
  async holding<T>(work: Promise<T>): Promise<T> {
    const replicas = this.replicas;
    if (!replicas) return work;
    let renewing: Promise<void> | undefined;
    const timer = setInterval(
      () => {
        renewing ??= replicas.renew().finally(() => {
          renewing = undefined;
        });
      },
      Math.max(1, Math.floor(this.options.leaseTtlMs / 3)),
    );
    timer.unref();
    try {
      return await work;
    } finally {
      clearInterval(timer);
      await renewing;
    }
  }

  /** Whether this collector exports `service` now: its lease, by the local clock. */
  readonly owns = (service: string): boolean => this.replicas?.owns(service) ?? true;

  /** Whether this collector runs the fleet-wide chores now. */
  readonly holdsChores = (): boolean => this.replicas?.holdsChores() ?? true;

  /** Releases every lease (`--once`, at its end). */
  async release(): Promise<void> {
    await this.replicas?.release();
  }

  /** Leaves the replicas and releases every lease. */
  async stop(): Promise<void> {
    await this.replicas?.stop();
  }

  /** For `/metrics`. */
  stats(): ReplicaStats {
    const r = this.replicas;
    return {
      live: r?.liveReplicas ?? 1,
      leasesHeld: r?.leasesHeld ?? 0,
      servicesOwned: r?.ownedServices.size ?? 0,
      changes: {
        acquired: r?.counts.acquired ?? 0,
        lost: r?.counts.lost ?? 0,
        released: r?.counts.released ?? 0,
      },
      renewalFailures: r?.counts.renewalFailures ?? 0,
    };
  }
}
