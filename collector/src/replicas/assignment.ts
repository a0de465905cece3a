/**
 * Which replica should export which unit (a service, or the fleet-wide chores): rendezvous
 * (highest-random-weight) hashing over the live replicas. Every replica computes the same
 * answer from the same membership, with no coordination; when a replica joins or leaves, only
 * the units it wins or held move, about 1/N of them.
 */
import { replicaSeed, weight } from './rendezvous-hash';

interface Member {
  readonly id: string;
  readonly seed: number;
}

export class Assignment {
  private members: readonly Member[];
  /** Owner of each unit asked about since the membership last changed. */
  private readonly owners = new Map<string, string>();

  constructor(private readonly self: string) {
    this.members = [{ id: self, seed: replicaSeed(self) }];
  }

  /**
   * Sets the live replicas. This replica always counts itself: it is running, whatever the
   * membership it last read says.
   */
  setMembers(ids: Iterable<string>): void {
    const unique = new Set(ids);
    unique.add(this.self);
    const sorted = [...unique].sort();
    if (
      sorted.length === this.members.length &&
      sorted.every((id, i) => id === this.members[i]?.id)
    ) {
      return;
    }
    this.members = sorted.map((id) => ({ id, seed: replicaSeed(id) }));
    this.owners.clear();
  }

  /** The live replica ids, sorted. */
  get memberIds(): string[] {
    return this.members.map((m) => m.id);
  }

  /** The replica `unit` is assigned to. Equal weights go to the smaller id. */
  ownerOf(unit: string): string {
    let owner = this.owners.get(unit);
    if (owner !== undefined) return owner;
    let best = -1;
    for (const member of this.members) {
      const w = weight(member.seed, unit);
      // Members are sorted, so the first of equal weights is the smaller id.
      if (w > best) {
        best = w;
        owner = member.id;
      }
    }
    owner ??= this.self;
    this.owners.set(unit, owner);
    return owner;
  }

  /** Whether `unit` is assigned to this replica. */
  isMine(unit: string): boolean {
    return this.ownerOf(unit) === this.self;
  }

  /** Forgets the owners of units no longer asked about, so the memo stays bounded. */
  retain(units: ReadonlySet<string>): void {
    for (const unit of this.owners.keys()) if (!units.has(unit)) this.owners.delete(unit);
  }
}
