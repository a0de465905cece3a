/**
 * Who exported which node when, as the receivers of several collector replicas saw it, and the
 * questions the replicas test asks of it: gaps, double exports, and who exported what.
 */
import type { OtlpReceiver } from '../../../testing/otlp-receiver';
import { exportedResources } from '../support/exported-resources';

/** One export of one node by one replica, at its arrival. */
export interface NodeExport {
  readonly replica: string;
  readonly service: string;
  readonly t: number;
}

export class ExportTimeline {
  /** Node id → its exports, in arrival order. */
  readonly byNode = new Map<string, NodeExport[]>();
  private readonly receivers = new Map<string, OtlpReceiver>();

  /** Follows `receiver` as the receiver of replica `replica`. */
  follow(replica: string, receiver: OtlpReceiver): void {
    this.receivers.set(replica, receiver);
  }

  /** Moves what the receivers got since the last call into the timeline. */
  collect(): void {
    for (const [replica, receiver] of this.receivers) {
      for (const r of exportedResources(receiver.take())) {
        if (!r.node || r.instance === undefined) continue;
        let list = this.byNode.get(r.instance);
        if (!list) this.byNode.set(r.instance, (list = []));
        list.push({ replica, service: r.service, t: r.receivedAt });
      }
    }
    for (const list of this.byNode.values()) list.sort((a, b) => a.t - b.t);
  }

  /** Node → the replicas that exported it within [from, to). */
  exportersIn(from: number, to: number, nodes: Iterable<string>): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const node of nodes) {
      const replicas = new Set<string>();
      for (const e of this.byNode.get(node) ?? []) {
        if (e.t >= from && e.t < to) replicas.add(e.replica);
      }
      out.set(node, replicas);
    }
    return out;
  }

  /**
   * The longest time any node went without an export, over the gaps that end within
   * [from, to] (the one still open at `to` included).
   */
  maxGap(from: number, to: number, nodes: Iterable<string>): { node: string; gapMs: number } {
    let worst = { node: '', gapMs: 0 };
    for (const node of nodes) {
      const times = (this.byNode.get(node) ?? []).map((e) => e.t).filter((t) => t <= to);
      const ends = [...times.filter((t) => t >= from), to];
      for (const end of ends) {
        const before = times.filter((t) => t < end).pop();
        const gap = end - (before ?? from);
        if (gap > worst.gapMs) worst = { node, gapMs: gap };
      }
    }
    return worst;
  }

  /**
   * The longest stretch during which two replicas both exported a node, within [from, to]:
   * each export counts for one export interval after it (the data it carries is that
   * interval's), so a clean handover overlaps by at most one interval.
   */
  maxDoubleExport(
    from: number,
    to: number,
    intervalMs: number,
    nodes: Iterable<string>,
  ): { node: string; overlapMs: number } {
    let worst = { node: '', overlapMs: 0 };
    for (const node of nodes) {
      const events = (this.byNode.get(node) ?? []).filter((e) => e.t >= from && e.t <= to);
      // Points where coverage starts or ends, per replica, swept in time order.
      const edges: Array<{ t: number; replica: string; delta: 1 | -1 }> = [];
      for (const e of events) {
        edges.push({ t: e.t, replica: e.replica, delta: 1 });
        edges.push({ t: e.t + intervalMs, replica: e.replica, delta: -1 });
      }
      edges.sort((a, b) => a.t - b.t || a.delta - b.delta);
      const depth = new Map<string, number>();
      let doubleSince: number | undefined;
      for (const edge of edges) {
        depth.set(edge.replica, (depth.get(edge.replica) ?? 0) + edge.delta);
        const covering = [...depth.values()].filter((d) => d > 0).length;
        if (covering >= 2 && doubleSince === undefined) doubleSince = edge.t;
        if (covering < 2 && doubleSince !== undefined) {
          if (edge.t - doubleSince > worst.overlapMs) {
            worst = { node, overlapMs: edge.t - doubleSince };
          }
          doubleSince = undefined;
        }
      }
    }
    return worst;
  }

  /** The replicas that exported `node` after `from`, in order, repeats collapsed. */
  sequenceAfter(node: string, from: number): string[] {
    const out: string[] = [];
    for (const e of this.byNode.get(node) ?? []) {
      if (e.t >= from && out[out.length - 1] !== e.replica) out.push(e.replica);
    }
    return out;
  }
}
