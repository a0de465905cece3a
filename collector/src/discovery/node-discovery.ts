/**
 * Finds heartbeat keys, of both key layouts at once. v1 agents register in the fleet-wide node
 * index, v2 agents in their service's own index, listed in the services index; every index is
 * read every cycle (see `node-indexes.ts`). The original agents never write an index, so a SCAN
 * (of every primary, on a cluster) finds them too; SCAN walks the whole keyspace, so it runs
 * on its own, slower schedule and never inside a cycle; the same walk finds the slow-log
 * streams of services that have no live node.
 *
 * With replicas, the fleet-wide chores (the SCAN, removing index members, dropping services
 * idle past `SERVICE_GRACE_MS` from the services index) belong to the one holding the scan
 * lease (`ownsChores`), so removals wait for `tidy`, after the cycle's lease step. It shares what the SCAN found (see `scan-findings.ts`);
 * the others read the stream index on the same schedule instead of walking the keyspace.
 */
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys, parseNodeKey, parseSlowLogKey } from '@gravito/quasar/schema';
import { dropIdleServices, removeIndexMembers } from './index-chores';
import { scanNamespace } from './keyspace-scan';
import { readNodeIndexes } from './node-indexes';
import { readStreamIndex, shareFindings } from './scan-findings';

/** What discovery reports about index members that are not heartbeat keys (or services). */
export type InvalidMembersHandler = (members: readonly string[]) => void;

/**
 * What discovery reports about an index it could not read (its last keys are kept): a v2
 * service's name, or the key of the v1 index or of the services index.
 */
export type IndexErrorHandler = (service: string, error: Error) => void;

/** Whether this collector runs the fleet-wide chores now (a lone collector always does). */
export type ChoresOwner = () => boolean;

const noop = (): void => undefined;

export class NodeDiscovery {
  /** v1 keys found by the last complete SCAN that are not in the index. */
  private scanned = new Set<string>();
  /** Members the last `keys()` found that are not heartbeat keys of their index, for `tidy`. */
  private invalid = new Map<string, string[]>();
  /** Members of the services index the last `keys()` found that are not service names. */
  private invalidServices: string[] = [];
  /** Services whose node index the last `keys()` found empty, for `tidy`. */
  private emptyServices: string[] = [];
  /** The keys of each v2 service as last read. */
  private byService: ReadonlyMap<string, readonly string[]> = new Map();
  /** The keys of the v1 index as last read; undefined before the first read. */
  private v1: readonly string[] | undefined;
  /** Services with a slow-log stream, found by the last SCAN. */
  slowLogServices: ReadonlySet<string> = new Set();
  private scanning: Promise<void> | undefined;
  private lastScanAt = -Infinity;
  /** How long the last complete SCAN took, ms. */
  lastScanMs = 0;

  constructor(
    private readonly client: RedisClient,
    private readonly scanIntervalMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly onInvalid: InvalidMembersHandler = noop,
    private readonly ownsChores: ChoresOwner = () => true,
    private readonly onIndexError: IndexErrorHandler = noop,
  ) {}

  /**
   * Every key to read this cycle: the indexes of both layouts, plus what the last SCAN found.
   * Any agent may write an index, so a member that is not a heartbeat key of that index (another
   * namespace's key, a 5 MB string) is never read: `tidy` reports and removes it.
   */
  async keys(): Promise<string[]> {
    const read = await readNodeIndexes(this.client, { v1: this.v1, byService: this.byService });
    this.v1 = read.v1;
    this.byService = read.byService;
    this.invalid = read.invalid;
    this.invalidServices = read.invalidServices;
    this.emptyServices = read.emptyServices;
    for (const [service, error] of read.failed) this.onIndexError(service, error);
    if (this.scanned.size === 0) return read.keys;
    const all = new Set(read.keys);
    for (const key of this.scanned) all.add(key);
    return [...all];
  }

  /**
   * The chores after a read, once the cycle knows whether they are this replica's: forgets the
   * keys that no longer exist, and, as the chores' owner, drops them and the invalid members
   * the last `keys()` found from their index, and the services idle past the grace period from
   * the services index.
   */
  async tidy(missing: readonly string[]): Promise<void> {
    const invalid = this.invalid;
    const invalidServices = this.invalidServices;
    const empty = this.emptyServices;
    this.invalid = new Map();
    this.invalidServices = [];
    this.emptyServices = [];
    if (this.ownsChores()) {
      const members = [...invalid.values()].flat().concat(invalidServices);
      if (members.length > 0) {
        this.onInvalid(members);
        if (invalidServices.length > 0) invalid.set(QuasarKeys.services, invalidServices);
        // Removed so the next cycle does not read them again; a refusal is only logged there.
        await removeIndexMembers(this.client, invalid);
      }
      if (empty.length > 0) await dropIdleServices(this.client, empty).catch(noop);
    }
    await this.prune(missing);
  }

  /**
   * Starts a SCAN in the background when one is due and returns it; undefined when none was
   * started (never more than one at a time). Without the chores, reads what the owner's SCAN
   * found instead.
   */
  maybeScan(): Promise<void> | undefined {
    if (this.scanning || this.now() - this.lastScanAt < this.scanIntervalMs) return undefined;
    this.lastScanAt = this.now();
    this.scanning = (this.ownsChores() ? this.scan() : this.follow()).finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  /** Takes the slow-log services the chores' owner found. */
  private async follow(): Promise<void> {
    this.slowLogServices = await readStreamIndex(this.client);
  }

  /**
   * Runs a full SCAN now (and awaits it): `--once` and tests use this. It looks for v1 keys
   * missing from the fleet index (a v2 agent writes its index on every beat). The chores' owner
   * then shares what it found with the other replicas.
   */
  async scan(): Promise<void> {
    const started = this.now();
    this.lastScanAt = started;
    const found = new Set<string>();
    const streams = new Set<string>();
    await scanNamespace(this.client, (keys) => {
      for (const key of keys) {
        if (parseNodeKey(key)?.layout === 'v1') found.add(key);
        const service = parseSlowLogKey(key);
        if (service !== undefined) streams.add(service);
      }
    });
    this.slowLogServices = streams;
    const indexed = new Set(await this.client.zrange(QuasarKeys.nodeIndex, 0, -1));
    for (const key of indexed) found.delete(key);
    this.scanned = found;
    this.lastScanMs = this.now() - started;
    if (this.ownsChores()) await shareFindings(this.client, [...found], streams);
  }

  /** Forgets keys that no longer exist; the chores' owner drops them from their index. */
  async prune(missing: readonly string[]): Promise<number> {
    if (missing.length === 0) return 0;
    for (const key of missing) this.scanned.delete(key);
    if (!this.ownsChores()) return 0;
    const byIndex = new Map<string, string[]>();
    for (const key of missing) {
      const parts = parseNodeKey(key);
      if (!parts) continue;
      const index =
        parts.layout === 'v2' ? QuasarKeys.v2.nodeIndex(parts.service) : QuasarKeys.nodeIndex;
      let keys = byIndex.get(index);
      if (!keys) byIndex.set(index, (keys = []));
      keys.push(key);
    }
    return removeIndexMembers(this.client, byIndex);
  }

  /** Waits for a running SCAN, so shutdown does not leave one half done. */
  async idle(): Promise<void> {
    await this.scanning?.catch(() => undefined);
  }
}
