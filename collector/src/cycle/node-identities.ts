/**
 * The resource a slow-log entry is reported under: its node's, with the same attributes its
 * metrics carry, or `service.name` + `service.instance.id` for a node the collector never saw.
 */
import { resourceAttributesOf } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { NodeView } from '../nodes/node-view';
import type { MetricAttributes } from '../otlp/metric-batch';
import type { NodeIdentity } from '../slowlog/consumer';
import type { PulseSnapshot, PulseState } from './pulse-state';

export class NodeIdentities {
  private readonly identities = new Map<string, NodeIdentity & { heartbeat?: Heartbeat }>();
  private index: { of: PulseSnapshot; views: Map<string, NodeView> } | undefined;

  constructor(private readonly state: PulseState) {}

  identityOf(service: string, nodeId: string): NodeIdentity {
    const nodeKey = QuasarKeys.node(service, nodeId);
    const view = this.viewOf(service, nodeId);
    const cached = this.identities.get(nodeKey);
    if (cached && cached.heartbeat === view?.heartbeat) return cached;
    const attributes: MetricAttributes = view
      ? (resourceAttributesOf(view.heartbeat) as MetricAttributes)
      : { 'service.name': service, 'service.instance.id': nodeId };
    const identity = {
      nodeKey,
      attributes,
      resource: resourceFromAttributes(attributes),
      known: view !== undefined,
      heartbeat: view?.heartbeat,
    };
    this.identities.set(nodeKey, identity);
    return identity;
  }

  /** A node by service and id, through an index rebuilt once per snapshot. */
  private viewOf(service: string, nodeId: string): NodeView | undefined {
    const snapshot = this.state.snapshot;
    if (!snapshot) return undefined;
    if (this.index?.of !== snapshot) {
      const views = new Map<string, NodeView>();
      for (const v of snapshot.nodes) views.set(`${v.heartbeat.service}\u0000${v.heartbeat.id}`, v);
      this.index = { of: snapshot, views };
      // Forget what the collector no longer knows (rebuilt on demand), so the map stays bounded.
      for (const [key, { heartbeat }] of this.identities) {
        if (!heartbeat || !views.has(`${heartbeat.service}\u0000${heartbeat.id}`)) {
          this.identities.delete(key);
        }
      }
    }
    return this.index.views.get(`${service}\u0000${nodeId}`);
  }
}
