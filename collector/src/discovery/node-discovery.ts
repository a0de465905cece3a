/**
 * Finds heartbeat keys. New agents register in the node index (a sorted set), read every
 * cycle in one command. The original agents never write it, so a SCAN finds them too; SCAN
 * walks the whole keyspace, so it runs on its own, slower schedule and never inside a cycle;
 * the same walk finds the slow-log streams of services that have no live node.
 *
 * With replicas, the fleet-wide chores (the SCAN, removing index members) belong to the one
 * holding the scan lease (`ownsChores`), so removals wait for `tidy`, after the cycle's lease
 * step. It shares what the SCAN found (see `scan-findings.ts`);
 * the others read the stream index on the same schedule instead of walking the keyspace.
 */
import type Redis from 'ioredis';
import { QuasarKeys, parseNodeKey, parseSlowLogKey } from '@gravito/quasar/schema';
import { readStreamIndex, shareFindings } from './scan-findings';

/** Keys per SCAN step: big enough to keep round trips few on a large keyspace. */
const SCAN_COUNT = 5000;

/** What discovery reports about node index members that are not heartbeat keys. */
export type InvalidMembersHandler = (members: readonly string[]) => void;

/** Whether this collector runs the fleet-wide chores now (a lone collector always does). */
export type ChoresOwner = () => boolean;

export class NodeDiscovery {
  /** Keys found by the last complete SCAN that are not in the index. */
  private scanned = new Set<string>();
  /** Index members the last `keys()` found that are not heartbeat keys, for `tidy`. */
  private invalid: string[] = [];
  /** Services with a slow-log stream, found by the last SCAN. */
  slowLogServices: ReadonlySet<string> = new Set();
  private scanning: Promise<void> | undefined;
  private lastScanAt = -Infinity;
  /** How long the last complete SCAN took, ms. */
  lastScanMs = 0;

  constructor(
    private readonly client: Redis,
    private readonly scanIntervalMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly onInvalid: InvalidMembersHandler = () => undefined,
    private readonly ownsChores: ChoresOwner = () => true,
  ) {}

  /**
   * Every key to read this cycle: the index, plus what the last SCAN found. Any agent may
   * write the index, so a member that is not a heartbeat key of the grammar (another
   * namespace's key, a 5 MB string) is never read: `tidy` reports and removes it.
   */
  async keys(): Promise<string[]> {
    const indexed = await this.client.zrange(QuasarKeys.nodeIndex, 0, -1);
    const keys: string[] = [];
    const invalid: string[] = [];
    for (const member of indexed) (parseNodeKey(member) ? keys : invalid).push(member);
    this.invalid = invalid;
    if (this.scanned.size === 0) return keys;
    const all = new Set(keys);
    for (const key of this.scanned) all.add(key);
    return [...all];
  }

  /**
   * The chores after a read, once the cycle knows whether they are this replica's: forgets the
   * keys that no longer exist, and, as the chores' owner, drops them and the invalid members
   * the last `keys()` found from the index.
   */
  async tidy(missing: readonly string[]): Promise<void> {
    const invalid = this.invalid;
    this.invalid = [];
    if (invalid.length > 0 && this.ownsChores()) {
      this.onInvalid(invalid);
      // Removed so the next cycle does not read them again; a refusal is only logged there.
      await this.client.zrem(QuasarKeys.nodeIndex, ...invalid).catch(() => undefined);
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
   * Runs a full SCAN now (and awaits it): `--once` and tests use this. The chores' owner then
   * shares what it found with the other replicas.
   */
  async scan(): Promise<void> {
    const started = this.now();
    this.lastScanAt = started;
    const found = new Set<string>();
    const streams = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(
        cursor,
        'MATCH',
        QuasarKeys.namespaceScanPattern,
        'COUNT',
        SCAN_COUNT,
      );
      cursor = next;
      for (const key of keys) {
        if (parseNodeKey(key)) found.add(key);
        const service = parseSlowLogKey(key);
        if (service !== undefined) streams.add(service);
      }
    } while (cursor !== '0');
    this.slowLogServices = streams;
    const indexed = new Set(await this.client.zrange(QuasarKeys.nodeIndex, 0, -1));
    for (const key of indexed) found.delete(key);
    this.scanned = found;
    this.lastScanMs = this.now() - started;
    if (this.ownsChores()) await shareFindings(this.client, [...found], streams);
  }

  /** Forgets keys that no longer exist; the chores' owner drops them from the index. */
  async prune(missing: readonly string[]): Promise<number> {
    if (missing.length === 0) return 0;
    for (const key of missing) this.scanned.delete(key);
    if (!this.ownsChores()) return 0;
    return this.client.zrem(QuasarKeys.nodeIndex, ...missing);
  }

  /** Waits for a running SCAN, so shutdown does not leave one half done. */
  async idle(): Promise<void> {
    await this.scanning?.catch(() => undefined);
  }
}
