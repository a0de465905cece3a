/**
 * When a cycle exports metrics, and what: every owned service once per export interval, and,
 * between those, the services a replica has just acquired, at once, so a handover never waits
 * for the new holder's next interval. An export restricted to the acquired services leaves the
 * interval alone: what was already exported in it is not exported again.
 */

/** What one export covers. */
export type ExportScope =
  { readonly all: true } | { readonly all: false; readonly services: ReadonlySet<string> };

export class ExportSchedule {
  private lastFullAt = -Infinity;
  /** Acquired services not exported since. */
  private readonly pending = new Set<string>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Services whose lease was just acquired: exported at the next export that can start. */
  acquired(services: Iterable<string>): void {
    for (const service of services) this.pending.add(service);
  }

  /** What this cycle should export, or undefined for nothing. */
  due(force = false): ExportScope | undefined {
    if (force || this.now() - this.lastFullAt >= this.intervalMs) return { all: true };
    if (this.pending.size > 0) return { all: false, services: new Set(this.pending) };
    return undefined;
  }

  /** An export of `scope` started: a full one opens a new interval. */
  started(scope: ExportScope): void {
    if (scope.all) {
      this.lastFullAt = this.now();
      this.pending.clear();
      return;
    }
    for (const service of scope.services) this.pending.delete(service);
  }
}
