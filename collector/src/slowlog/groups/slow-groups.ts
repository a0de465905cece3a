/**
 * The slow log grouped by (service, kind, name), fed by the slow-log consumer with the entries
 * it exported, for the services this replica owns. Bounded: at most `maxGroups` groups in all
 * and `maxGroupsPerService` per service; past either, the group seen least recently (in all, or
 * in that service) is evicted and counted. Names come from agents, so groups sit in `Map`s.
 * See `docs/collector.md` (Slow log groups) for the memory bound.
 */
import type { SlowEntry, SlowKind } from '@gravito/quasar/schema';
import { SlowGroup } from './slow-group';
import type { GroupBounds, SlowGroupSummary } from './slow-group';

/** The bounds of the groups. */
export interface SlowGroupLimits extends GroupBounds {
  /** Groups held in all. */
  maxGroups: number;
  /** Groups held per service, so one service's flood of names cannot push the others out. */
  maxGroupsPerService: number;
}

/**
 * The most one group holds, bytes, by V8's layout and with room (measured in the tests): its
 * kept entries (`entryBytes`, 12 KiB by default), its buckets (at most 2.2 KiB), its
 * sparkline (1.2 KiB), its key, service and name (under 5 KiB at the schema's longest, in
 * two-byte characters) and the objects around them. With the defaults, 1,000 groups stay
 * under 24 MiB; an honest group (short names, one order of magnitude of durations) holds
 * about 12 KiB once its 20 entries are kept.
 */
export const GROUP_BYTES_BOUND = 24 * 1024;

/** The defaults: room for a fleet of a few dozen services with a few dozen routes each. */
export const DEFAULT_GROUP_LIMITS: SlowGroupLimits = Object.freeze({
  maxGroups: 1000,
  maxGroupsPerService: 200,
  entries: 20,
  entryBytes: 12 * 1024,
});

/** Why a group was evicted: which bound was reached. */
export const EVICTION_REASONS = ['max_groups', 'groups_per_service'] as const;
export type EvictionReason = (typeof EVICTION_REASONS)[number];

/** Which groups to list. */
export interface GroupQuery {
  service?: string;
  kind?: SlowKind;
  /** At most this many, the most recently seen first. */
  limit: number;
}

/** A group's identity. */
export interface GroupKey {
  service: string;
  kind: SlowKind;
  name: string;
}

/**
 * One string per (service, kind, name): the service's length first keeps any two apart, and,
 * unlike JSON, never makes a name of control characters six times longer.
 */
const keyOf = (service: string, kind: SlowKind, name: string) =>
  `${service.length}:${service}:${kind}:${name}`;

export class SlowGroups {
  /** Every group, least recently seen first (a group seen again moves to the end). */
  private readonly groups = new Map<string, SlowGroup>();
  /** The same groups per service, in the same order. */
  private readonly byService = new Map<string, Map<string, SlowGroup>>();
  readonly evictions: Record<EvictionReason, number> = { max_groups: 0, groups_per_service: 0 };
  private readonly limits: SlowGroupLimits;

  constructor(limits: Partial<SlowGroupLimits> = {}) {
    this.limits = { ...DEFAULT_GROUP_LIMITS, ...limits };
    for (const [name, value] of Object.entries(this.limits)) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`slow groups: ${name} must be a whole number, 1 or more: ${value}`);
      }
    }
  }

  /** Counts an exported entry of `service`, observed at `nowMs`. */
  record(service: string, entry: SlowEntry, id: string, nowMs: number): void {
    const key = keyOf(service, entry.kind, entry.name);
    let group = this.groups.get(key);
    let ofService = this.byService.get(service);
    if (group) {
      this.groups.delete(key);
      ofService?.delete(key);
    } else {
      group = new SlowGroup(service, entry.kind, entry.name, this.limits);
      if (!ofService) {
        ofService = new Map();
        this.byService.set(service, ofService);
      }
      if (ofService.size >= this.limits.maxGroupsPerService) {
        this.evictFirst(ofService, 'groups_per_service');
      } else if (this.groups.size >= this.limits.maxGroups) {
        this.evictFirst(this.groups, 'max_groups');
      }
    }
    this.groups.set(key, group);
    // The service's map may have been emptied and dropped by the eviction just made.
    if (!this.byService.has(service)) this.byService.set(service, ofService!);
    ofService!.set(key, group);
    group.record(entry, id, nowMs);
  }

  /** Forgets a service's groups: it is another replica's now. */
  forgetService(service: string): void {
    const ofService = this.byService.get(service);
    if (!ofService) return;
    for (const key of ofService.keys()) this.groups.delete(key);
    this.byService.delete(service);
  }

  /** Groups matching `query`, the most recently seen first. */
  list(query: GroupQuery, nowMs: number): { groups: SlowGroupSummary[]; total: number } {
    const source =
      query.service === undefined
        ? this.groups
        : (this.byService.get(query.service) ?? new Map<string, SlowGroup>());
    const matching: SlowGroup[] = [];
    for (const group of source.values()) {
      if (query.kind === undefined || group.kind === query.kind) matching.push(group);
    }
    // Ties (entries of one millisecond) keep the order of recency the maps hold, newest first.
    matching.reverse().sort((a, b) => b.lastSeen - a.lastSeen);
    return {
      groups: matching.slice(0, query.limit).map((group) => group.summary(nowMs)),
      total: matching.length,
    };
  }

  /** One group's kept entries, newest first; undefined when no such group is held. */
  entries(
    key: GroupKey,
    nowMs: number = Date.now(),
  ): { group: SlowGroupSummary; entries: Array<SlowEntry & { id: string }> } | undefined {
    const group = this.groups.get(keyOf(key.service, key.kind, key.name));
    return group ? { group: group.summary(nowMs), entries: group.entries() } : undefined;
  }

  /** Groups held. */
  get size(): number {
    return this.groups.size;
  }

  /** Services with a group held, sorted. */
  services(): string[] {
    return [...this.byService.keys()].sort();
  }

  /** The bytes of the groups' growing parts (buckets, rings, kept entries), summed. */
  get bytes(): number {
    let bytes = 0;
    for (const group of this.groups.values()) bytes += group.bytes;
    return bytes;
  }

  private evictFirst(from: Map<string, SlowGroup>, reason: EvictionReason): void {
    const first = from.keys().next();
    if (first.done) return;
    const key = first.value;
    const group = this.groups.get(key);
    this.groups.delete(key);
    if (group) {
      const ofService = this.byService.get(group.service);
      ofService?.delete(key);
      if (ofService?.size === 0) this.byService.delete(group.service);
    }
    this.evictions[reason]++;
  }
}
