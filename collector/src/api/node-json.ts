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

/** The fields the collector adds to each node; an agent's own fields of these names give way. */
const VERDICT_FIELDS = ['status', 'ageMs', 'lastSeenAt'] as const;

/**
 * Builds the API's JSON text. One instance serves every route and SSE client of an app, so each
 * heartbeat is serialised once while it is unchanged.
 */
export class PulseJson {
  /** Each heartbeat's JSON, without the closing brace; `null` when it cannot be serialised. */
  private readonly serialised = new WeakMap<Heartbeat, string | null>();
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
  private queuesByService(snapshot: PulseSnapshot): string {
    const parts: string[] = [];
    for (const { service, queues } of snapshot.queues) {
      try {
        parts.push(`${JSON.stringify(service)}:${JSON.stringify(queues)}`);
      } catch {
        this.unserialisable++;
      }
    }
    return `{${parts.join(',')}}`;
  }
}
