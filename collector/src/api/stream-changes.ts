/**
 * What changed between two snapshots, computed once per tick for every delta client of the
 * stream: the nodes with a new beat or a new verdict, the nodes gone, and the services whose
 * queues changed or went. A node's heartbeat object is kept by the registry while its bytes in
 * Redis are unchanged, so "changed" is an identity test, never a comparison of texts.
 *
 * Each client then filters the one change set (`deltaEvent`), so a thousand clients cost one
 * diff and one serialisation per distinct filter, and no client holds any per-node state: a
 * node leaves a client's view when it matched the client's filter before the tick and does not
 * after it, which the previous and current views answer alone.
 */
import type { PulseSnapshot } from '../cycle/pulse-state';
import type { NodeView } from '../nodes/node-view';
import type { PulseJson } from './node-json';
import { comparePositions } from './pulse-cursor';
import { nodeMatches, serviceMatches } from './pulse-filter';
import type { PulseFilter } from './pulse-filter';

/** One node that is new or changed since the previous tick. */
export interface ChangedNode {
  view: NodeView;
  /** Its view at the previous tick; absent for a new node. */
  previous?: NodeView;
}

/** One tick's changes. */
export interface StreamChanges {
  snapshot: PulseSnapshot;
  /** New or changed nodes, in the API's stable order. */
  changed: ChangedNode[];
  /** Nodes present at the previous tick and gone from this one. */
  removed: NodeView[];
  /** Services whose queues are new or changed, with their JSON text. */
  queues: Array<{ service: string; text: string }>;
  /** Services that had queues at the previous tick and have none now. */
  queuesLeft: string[];
}

/** Keeps the previous tick's nodes and queue texts, while delta clients are connected. */
export class ChangeTracker {
  private base: PulseSnapshot | undefined;
  private nodes = new Map<string, NodeView>();
  private queues = new Map<string, string>();

  constructor(private readonly json: PulseJson) {}

  /** Makes `snapshot` the base of the next diff, unless it already is. */
  baseline(snapshot: PulseSnapshot): void {
    if (this.base === snapshot) return;
    this.base = snapshot;
    this.nodes = nodesOf(snapshot);
    this.queues = this.queuesOf(snapshot);
  }

  /** The changes from the base to `snapshot`, which becomes the base; undefined without one. */
  advance(snapshot: PulseSnapshot): StreamChanges | undefined {
    if (this.base === undefined) {
      this.baseline(snapshot);
      return undefined;
    }
    const nodes = nodesOf(snapshot);
    const changed: ChangedNode[] = [];
    for (const [key, view] of nodes) {
      const previous = this.nodes.get(key);
      if (previous === undefined) changed.push({ view });
      else if (previous.heartbeat !== view.heartbeat || previous.status !== view.status) {
        changed.push({ view, previous });
      }
    }
    const removed: NodeView[] = [];
    for (const [key, view] of this.nodes) if (!nodes.has(key)) removed.push(view);
    const queues = this.queuesOf(snapshot);
    const queueChanges: StreamChanges['queues'] = [];
    for (const [service, text] of queues) {
      if (this.queues.get(service) !== text) queueChanges.push({ service, text });
    }
    const queuesLeft = [...this.queues.keys()].filter((service) => !queues.has(service));
    this.base = snapshot;
    this.nodes = nodes;
    this.queues = queues;
    changed.sort((a, b) => comparePositions(a.view.heartbeat, b.view.heartbeat));
    return { snapshot, changed, removed, queues: queueChanges, queuesLeft };
  }

  /** Forgets the base (the last delta client left). */
  reset(): void {
    this.base = undefined;
    this.nodes = new Map();
    this.queues = new Map();
  }

  private queuesOf(snapshot: PulseSnapshot): Map<string, string> {
    const out = new Map<string, string>();
    for (const { service, queues } of snapshot.queues) {
      const text = this.json.queueText(queues);
      if (text !== undefined) out.set(service, text);
    }
    return out;
  }
}

function nodesOf(snapshot: PulseSnapshot): Map<string, NodeView> {
  return new Map(snapshot.nodes.map((view) => [view.key, view]));
}

/**
 * A `delta` event's data for one filter:
 * `{"serverTime","cycle","total","nodes":{service:[node]},"left":{service:[id]},"queues":{service:[queue]},"queuesLeft":[service]}`.
 */
export function deltaEvent(json: PulseJson, changes: StreamChanges, filter: PulseFilter): string {
  const shown: NodeView[] = [];
  const left = new Map<string, string[]>();
  const leave = (view: NodeView) => {
    const { service, id } = view.heartbeat;
    const ids = left.get(service);
    if (ids) ids.push(id);
    else left.set(service, [id]);
  };
  for (const { view, previous } of changes.changed) {
    if (nodeMatches(filter, view)) shown.push(view);
    else if (previous !== undefined && nodeMatches(filter, previous)) leave(view);
  }
  for (const view of changes.removed) if (nodeMatches(filter, view)) leave(view);
  const nodes = json.groupSorted(shown, (view) => json.nodeText(view, filter.fields, true));
  const leftText = [...left].map(
    ([service, ids]) => `${JSON.stringify(service)}:${JSON.stringify(ids)}`,
  );
  const queues = changes.queues
    .filter(({ service }) => serviceMatches(filter, service))
    .map(({ service, text }) => `${JSON.stringify(service)}:${text}`);
  const queuesLeft = changes.queuesLeft.filter((service) => serviceMatches(filter, service));
  const { snapshot } = changes;
  return `{"serverTime":${Math.round(snapshot.serverTimeMs)},"cycle":${snapshot.cycle},"total":${snapshot.nodes.length},"nodes":${nodes},"left":{${leftText.join(',')}},"queues":{${queues.join(',')}},"queuesLeft":${JSON.stringify(queuesLeft)}}`;
}
