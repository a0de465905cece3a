/**
 * The JSON of the Pulse API: each node is the heartbeat exactly as the agent wrote it (the
 * original Zenith shape) plus the collector's verdict from the Redis clock.
 *
 * Replies are built as text, one node at a time: a node that cannot be serialised is left out
 * and counted instead of failing the reply (or an SSE broadcast, or the cycle behind it), and
 * each heartbeat is serialised once while it is unchanged, however many clients read it.
 * Services group the nodes by name, so the grouping never touches an object's prototype.
 */
import type { Heartbeat } from '@gravito/quasar/schema';
import type { PulseSnapshot } from '../cycle/pulse-state';
import type { NodeView } from '../nodes/node-view';
import { comparePositions, encodeCursor, positionOf } from './pulse-cursor';
import type { NodePosition } from './pulse-cursor';
import { nodeMatches, serviceMatches } from './pulse-filter';
import type { PulseFields, PulseFilter } from './pulse-filter';
import { summaryOf } from './node-summary';

/** The fields the collector adds to each node; an agent's own fields of these names give way. */
const VERDICT_FIELDS = ['status', 'ageMs', 'lastSeenAt'] as const;

/**
 * A node's text in delta streams, kept while its heartbeat and verdict are unchanged. It has no
 * `ageMs` (which moves every tick: clients age a node by `serverTime − lastSeenAt`), and its
 * `lastSeenAt` is the one first computed for this beat, so the text only changes when the node
 * does: a new beat, or a new status.
 */
interface StableText {
  status: string;
  lastSeenAt: number;
  full?: string | null;
  summary?: string | null;
}

/** A page of `GET /api/pulse/nodes`. */
export interface NodesPage {
  /** The last node of the previous page; the page starts after it. */
  after?: NodePosition;
  limit?: number;
}

/**
 * Builds the API's JSON text. One instance serves every route and SSE client of an app, so each
 * heartbeat is serialised once while it is unchanged.
 */
export class PulseJson {
  /** Each heartbeat's JSON, without the closing brace; `null` when it cannot be serialised. */
  private readonly serialised = new WeakMap<Heartbeat, string | null>();
  /** Each heartbeat's summary JSON, without the closing brace; `null` when it cannot be serialised. */
  private readonly summaries = new WeakMap<Heartbeat, string | null>();
  /** Each heartbeat's delta-stream texts (see {@link StableText}). */
  private readonly stable = new WeakMap<Heartbeat, StableText>();
  /** Nodes and services left out of replies because they could not be serialised. */
  unserialisable = 0;

  /** `GET /api/pulse/nodes`: `{"nodes":{service:[node]},"serverTime":ms}`. */
  nodes(snapshot: PulseSnapshot): string {
    return `{"nodes":${this.nodesByService(snapshot.nodes)},"serverTime":${Math.round(snapshot.serverTimeMs)}}`;
  }

  /** `GET /api/pulse/queues`: `{"queues":{service:[queue]},"serverTime":ms}`. */
  queues(snapshot: PulseSnapshot): string {
    return `{"queues":${this.queuesByService(snapshot)},"serverTime":${Math.round(snapshot.serverTimeMs)}}`;
  }

  /** One SSE `pulse` event's data: nodes, queues, the server time and the cycle. */
  event(snapshot: PulseSnapshot): string {
    return `{"nodes":${this.nodesByService(snapshot.nodes)},"serverTime":${Math.round(snapshot.serverTimeMs)},"queues":${this.queuesByService(snapshot)},"cycle":${snapshot.cycle}}`;
  }

  /** One node's JSON text, or undefined when it cannot be serialised (counted). */
  node(view: NodeView): string | undefined {
    const text = this.heartbeatText(view.heartbeat);
    if (text === null) {
      this.unserialisable++;
      return undefined;
    }
    const verdict = `"status":${JSON.stringify(view.status)},"ageMs":${Math.round(view.ageMs)},"lastSeenAt":${Math.round(view.beatAtMs)}`;
    return text.length > 1 ? `${text},${verdict}}` : `{${verdict}}`;
  }

  /**
   * One node's text as a filtered reply or stream wants it: the whole heartbeat or its summary,
   * with the live verdict (`ageMs` included) or the delta streams' stable one. Undefined when it
   * cannot be serialised (counted).
   */
  nodeText(view: NodeView, fields: PulseFields, stable: boolean): string | undefined {
    if (!stable) {
      if (fields === 'full') return this.node(view);
      const text = this.summaryText(view.heartbeat);
      if (text === null) {
        this.unserialisable++;
        return undefined;
      }
      return `${text},"status":${JSON.stringify(view.status)},"ageMs":${Math.round(view.ageMs)},"lastSeenAt":${Math.round(view.beatAtMs)}}`;
    }
    let entry = this.stable.get(view.heartbeat);
    if (entry === undefined || entry.status !== view.status) {
      entry = { status: view.status, lastSeenAt: Math.round(view.beatAtMs) };
      this.stable.set(view.heartbeat, entry);
    }
    let text = entry[fields];
    if (text === undefined) {
      const body =
        fields === 'full' ? this.heartbeatText(view.heartbeat) : this.summaryText(view.heartbeat);
      const verdict = `"status":${JSON.stringify(entry.status)},"lastSeenAt":${entry.lastSeenAt}`;
      text = body === null ? null : body.length > 1 ? `${body},${verdict}}` : `{${verdict}}`;
      entry[fields] = text;
    }
    if (text === null) {
      this.unserialisable++;
      return undefined;
    }
    return text;
  }

  /**
   * `GET /api/pulse/nodes` with parameters: the nodes the filter keeps, in the stable order
   * (service, id), one page of them when asked; `next` is the cursor of the following page when
   * there is one, and `total` counts the fleet's nodes before filtering.
   */
  filteredNodes(snapshot: PulseSnapshot, filter: PulseFilter, page: NodesPage = {}): string {
    let views = sortedMatches(snapshot.nodes, filter);
    const { after, limit } = page;
    if (after !== undefined) {
      const start = views.findIndex((view) => comparePositions(view.heartbeat, after) > 0);
      views = start < 0 ? [] : views.slice(start);
    }
    let next = '';
    if (limit !== undefined && views.length > limit) {
      views = views.slice(0, limit);
      next = `,"next":${JSON.stringify(encodeCursor(positionOf(views[limit - 1] as NodeView)))}`;
    }
    const nodes = this.groupSorted(views, (view) => this.nodeText(view, filter.fields, false));
    return `{"nodes":${nodes},"serverTime":${Math.round(snapshot.serverTimeMs)},"total":${snapshot.nodes.length}${next}}`;
  }

  /** `GET /api/pulse/queues` with parameters: the queues of the services the filter keeps. */
  filteredQueues(snapshot: PulseSnapshot, filter: PulseFilter): string {
    return `{"queues":${this.queuesByService(snapshot, filter)},"serverTime":${Math.round(snapshot.serverTimeMs)}}`;
  }

  /**
   * A `pulse` event's data for a stream with parameters: today's shape with the filter applied,
   * `total` added, and in delta streams the stable node texts.
   */
  filteredEvent(snapshot: PulseSnapshot, filter: PulseFilter, stable: boolean): string {
    const nodes = this.groupSorted(sortedMatches(snapshot.nodes, filter), (view) =>
      this.nodeText(view, filter.fields, stable),
    );
    return `{"nodes":${nodes},"serverTime":${Math.round(snapshot.serverTimeMs)},"queues":${this.queuesByService(snapshot, filter)},"cycle":${snapshot.cycle},"total":${snapshot.nodes.length}}`;
  }

  /** `{"service":[node, …], …}` of nodes already in the stable order. */
  groupSorted(views: readonly NodeView[], textOf: (view: NodeView) => string | undefined): string {
    const parts: string[] = [];
    let service: string | undefined;
    let texts: string[] = [];
    const close = () => {
      if (service !== undefined && texts.length > 0) {
        parts.push(`${JSON.stringify(service)}:[${texts.join(',')}]`);
      }
    };
    for (const view of views) {
      if (view.heartbeat.service !== service) {
        close();
        service = view.heartbeat.service;
        texts = [];
      }
      const text = textOf(view);
      if (text !== undefined) texts.push(text);
    }
    close();
    return `{${parts.join(',')}}`;
  }

  /** One service's queues as JSON text, or undefined when they cannot be serialised (counted). */
  queueText(queues: unknown): string | undefined {
    try {
      return JSON.stringify(queues);
    } catch {
      this.unserialisable++;
      return undefined;
    }
  }

  private summaryText(heartbeat: Heartbeat): string | null {
    let text = this.summaries.get(heartbeat);
    if (text !== undefined) return text;
    try {
      text = JSON.stringify(summaryOf(heartbeat)).slice(0, -1);
    } catch {
      text = null;
    }
    this.summaries.set(heartbeat, text);
    return text;
  }

  private heartbeatText(heartbeat: Heartbeat): string | null {
    let text = this.serialised.get(heartbeat);
    if (text !== undefined) return text;
    try {
      let body: Record<string, unknown> = heartbeat;
      if (VERDICT_FIELDS.some((field) => Object.hasOwn(heartbeat, field))) {
        body = { ...heartbeat };
        for (const field of VERDICT_FIELDS) delete body[field];
      }
      text = JSON.stringify(body).slice(0, -1);
    } catch {
      text = null;
    }
    this.serialised.set(heartbeat, text);
    return text;
  }

  /** `{"service":[node, …], …}`: services and nodes sorted, as the originals' API sorted them. */
  private nodesByService(nodes: readonly NodeView[]): string {
    const services = new Map<string, NodeView[]>();
    for (const view of nodes) {
      const list = services.get(view.heartbeat.service);
      if (list) list.push(view);
      else services.set(view.heartbeat.service, [view]);
    }
    const parts: string[] = [];
    for (const service of [...services.keys()].sort((a, b) => a.localeCompare(b))) {
      const views = (services.get(service) as NodeView[]).sort((a, b) =>
        a.heartbeat.id.localeCompare(b.heartbeat.id),
      );
      const texts: string[] = [];
      for (const view of views) {
        const text = this.node(view);
        if (text !== undefined) texts.push(text);
      }
      if (texts.length > 0) parts.push(`${JSON.stringify(service)}:[${texts.join(',')}]`);
    }
    return `{${parts.join(',')}}`;
  }

  /** `{"service":[queue, …], …}`; a service whose queues cannot be serialised is left out. */
  private queuesByService(snapshot: PulseSnapshot, filter?: PulseFilter): string {
    const parts: string[] = [];
    for (const { service, queues } of snapshot.queues) {
      if (filter !== undefined && !serviceMatches(filter, service)) continue;
      try {
        parts.push(`${JSON.stringify(service)}:${JSON.stringify(queues)}`);
      } catch {
        this.unserialisable++;
      }
    }
    return `{${parts.join(',')}}`;
  }
}

/** The nodes a filter keeps, in the API's stable order. */
export function sortedMatches(nodes: readonly NodeView[], filter: PulseFilter): NodeView[] {
  return nodes
    .filter((view) => nodeMatches(filter, view))
    .sort((a, b) => comparePositions(a.heartbeat, b.heartbeat));
}
