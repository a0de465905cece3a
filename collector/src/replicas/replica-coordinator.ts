/**
 * How N collector replicas on one Redis behave as one: each announces itself in the membership,
 * works out by rendezvous hashing which services are its own, and exports a service only while
 * it holds that service's lease. One more lease, `scan`, goes to the replica that runs the
 * fleet-wide chores (the SCAN for original agents, node index pruning). A lone collector is a
 * membership of one: it owns everything, at the cost of one pipelined lease step per cycle.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import { Assignment } from './assignment';
import { LeaseTable } from './lease-table';
import { ReplicaMembership } from './membership';

/** The assignment's name for the chores: a NUL never starts a service name. */
const CHORES_UNIT = '\u0000scan';

export interface ReplicaOptions {
  /** This replica's id: its member in the membership and the first part of its lease token. */
  readonly replicaId: string;
  /** Lease TTL, ms: a dead replica's services move after at most this (plus a cycle). */
  readonly leaseTtlMs: number;
  /** Told when lease or membership commands start failing, once per outage. */
  readonly onError: (error: unknown, what: string) => void;
  /** Told when they work again. */
  readonly onRecovered?: (what: string) => void;
}

/** Lease changes and failures since start, for `/metrics`. */
export interface ReplicaCounts {
  acquired: number;
  lost: number;
  released: number;
  renewalFailures: number;
}

/** What one step left this replica with. */
export interface ReplicaStep {
  /** Services whose lease this replica holds. */
  readonly owned: ReadonlySet<string>;
  /** Services whose lease it acquired in this step. */
  readonly acquired: readonly string[];
  /**
   * Services whose lease it kept but did not count as held until this step (see
   * `LeaseStep.regained`): an export due meanwhile left them out, so they are exported at once.
   */
  readonly regained: readonly string[];
  /** The first error Redis gave in the step: those leases are not held. */
  readonly error?: unknown;
}

/**
 * The membership's timing, from the lease TTL: a replica counts as live for one TTL after its
 * last announcement, so a dead replica leaves the membership no later than its leases lapse,
 * and announces itself at least three times per TTL (every second at most).
 */
export function membershipTiming(leaseTtlMs: number): { liveWindowMs: number; refreshMs: number } {
  return { liveWindowMs: leaseTtlMs, refreshMs: Math.min(1000, Math.floor(leaseTtlMs / 3)) };
}

export class ReplicaCoordinator {
  readonly counts: ReplicaCounts = { acquired: 0, lost: 0, released: 0, renewalFailures: 0 };
  /** The lease changes of the last step. */
  lastChanges: Readonly<Pick<ReplicaCounts, 'acquired' | 'lost' | 'released'>> = {
    acquired: 0,
    lost: 0,
    released: 0,
  };
  private readonly leases: LeaseTable;
  private readonly membership: ReplicaMembership;
  private readonly assignment: Assignment;
  private owned: ReadonlySet<string> = new Set();
  /**
   * The lease key of each service of the last step: `owns` is asked for every node of an
   * export, and building the key each time cost more than the lookup of the lease itself.
   */
  private leaseKeys: ReadonlyMap<string, string> = new Map();
  private readonly failing = new Set<string>();

  constructor(
    client: RedisClient,
    private readonly options: ReplicaOptions,
    now?: () => number,
  ) {
    const token = `${options.replicaId}#${randomBytes(4).toString('hex')}`;
    this.leases = new LeaseTable(client, token, options.leaseTtlMs, now);
    this.assignment = new Assignment(options.replicaId);
    this.membership = new ReplicaMembership(client, {
      replicaId: options.replicaId,
      ...membershipTiming(options.leaseTtlMs),
      onError: (error) => this.failed('membership', error),
      onAnnounced: () => this.recovered('membership'),
    });
  }

  /** What this process's leases hold: the replica id and a per-process suffix. */
  get token(): string {
    return this.leases.token;
  }

  /**
   * Joins the membership; resolves after the first announcement, failed or not. Until then this
   * replica sees itself alone and takes whichever leases nobody holds: that is `--once`, which
   * never joins.
   */
  start(): Promise<void> {
    return this.membership.start();
  }

  /**
   * One lease step over the services the cycle read: keeps or takes the leases of the services
   * assigned here, and gives back the others. One round trip; never throws.
   */
  async step(services: Iterable<string>): Promise<ReplicaStep> {
    this.assignment.setMembers(this.membership.members);
    const units = new Set<string>([CHORES_UNIT]);
    const wanted = new Set<string>();
    const serviceOf = new Map<string, string>();
    const leaseKeys = new Map<string, string>();
    for (const service of services) {
      units.add(service);
      const key = this.leaseKeys.get(service) ?? QuasarKeys.lease(service);
      leaseKeys.set(service, key);
      serviceOf.set(key, service);
      if (this.assignment.isMine(service)) wanted.add(key);
    }
    this.leaseKeys = leaseKeys;
    if (this.assignment.isMine(CHORES_UNIT)) wanted.add(QuasarKeys.scanLease);
    this.assignment.retain(units);
    // A held lease of a service the cycle no longer read is not wanted: this step releases it.
    const step = await this.leases.step(wanted);
    if (step.error === undefined) this.recovered('leases');
    else this.failed('leases', step.error);
    this.lastChanges = {
      acquired: step.acquired.length,
      lost: step.lost.length,
      released: step.released.length,
    };
    this.counts.acquired += step.acquired.length;
    this.counts.lost += step.lost.length;
    this.counts.released += step.released.length;
    this.counts.renewalFailures += step.renewalFailures;
    const owned = new Set<string>();
    for (const key of this.leases.validKeys()) {
      const service = serviceOf.get(key);
      if (service !== undefined) owned.add(service);
    }
    this.owned = owned;
    const servicesOf = (keys: readonly string[]) => keys.flatMap((key) => serviceOf.get(key) ?? []);
    const acquired = servicesOf(step.acquired);
    const regained = servicesOf(step.regained);
    return step.error === undefined
      ? { owned, acquired, regained }
      : { owned, acquired, regained, error: step.error };
  }

  /**
   * Renews the leases held, and nothing else: no lease is taken or given back. For work that
   * outlasts a cycle with no cycle to renew them (`--once`'s export). One round trip.
   */
  async renew(): Promise<void> {
    const step = await this.leases.step(new Set(this.leases.heldKeys()));
    if (step.error !== undefined) this.failed('leases', step.error);
    // An acquisition whose reply was lost is confirmed here, counted when it is.
    this.counts.acquired += step.acquired.length;
    this.counts.lost += step.lost.length;
    this.counts.renewalFailures += step.renewalFailures;
  }

  /** Whether this replica may export `service` now (its lease, by the local clock). */
  owns(service: string): boolean {
    return this.leases.valid(this.leaseKeys.get(service) ?? QuasarKeys.lease(service));
  }

  /** Whether this replica runs the fleet-wide chores now. */
  holdsChores(): boolean {
    return this.leases.valid(QuasarKeys.scanLease);
  }

  /** Services owned after the last step. */
  get ownedServices(): ReadonlySet<string> {
    return this.owned;
  }

  /** Leases held now, the chores' included. */
  get leasesHeld(): number {
    return this.leases.validKeys().length;
  }

  /** Live replicas as last read, this one included. */
  get liveReplicas(): number {
    const ids = new Set(this.membership.members);
    ids.add(this.options.replicaId);
    return ids.size;
  }

  /** Releases every lease held, in one round trip; never throws. */
  async release(): Promise<void> {
    this.counts.released += await this.leases.releaseAll();
    this.owned = new Set();
  }

  /** Leaves the membership and releases every lease, so the others take over at once. */
  async stop(): Promise<void> {
    await this.membership.stop();
    await this.release();
  }

  private failed(what: string, error: unknown): void {
    if (this.failing.has(what)) return;
    this.failing.add(what);
    this.options.onError(error, what);
  }

  private recovered(what: string): void {
    if (this.failing.delete(what)) this.options.onRecovered?.(what);
  }
}
