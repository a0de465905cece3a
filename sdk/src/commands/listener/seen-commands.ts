/**
 * The command ids this agent has executed, kept while a command with that id could still
 * arrive fresh. The claim key in Redis already stops a replay; this stops one even when the
 * claim key is gone (deleted by someone with write access, or lost with a Redis failover).
 */

/** Ids remembered at most; the oldest go first when a flood of fresh ids would pass it. */
export const MAX_SEEN_COMMANDS = 10_000;

export class SeenCommands {
  /** Id → when it may be forgotten, epoch ms; in the order the ids were seen. */
  private readonly ids = new Map<string, number>();

  constructor(private readonly max = MAX_SEEN_COMMANDS) {}

  /**
   * Records `id` until `forgetAtMs`. False when it was recorded before and not yet forgotten:
   * the command is a replay.
   */
  add(id: string, nowMs: number, forgetAtMs: number): boolean {
    const until = this.ids.get(id);
    if (until !== undefined && until > nowMs) return false;
    this.ids.delete(id);
    this.evict(nowMs);
    this.ids.set(id, forgetAtMs);
    return true;
  }

  /** How many ids are remembered. */
  get size(): number {
    return this.ids.size;
  }

  private evict(nowMs: number): void {
    for (const [id, until] of this.ids) {
      if (until > nowMs && this.ids.size < this.max) break;
      this.ids.delete(id);
    }
  }
}
