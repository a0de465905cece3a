/**
 * The resources of OTLP/JSON metrics requests, flattened for tests that follow who exported
 * what: a node resource carries `service.instance.id`, a service's queue resource does not.
 */
import { attributeMap } from '../../../testing/otlp-receiver';
import type { OtlpAttribute, ReceivedRequest } from '../../../testing/otlp-receiver';

/** One resource of one request. */
export interface ExportedResource {
  service: string;
  /** The node, for a node's resource (its metrics or its slow durations). */
  instance: string | undefined;
  /** Whether it holds `quasar.node.up`: a node's own metrics, not its slow durations. */
  node: boolean;
  receivedAt: number;
}

interface MetricsBody {
  resourceMetrics?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeMetrics?: Array<{ metrics?: Array<{ name: string }> }>;
  }>;
}

/** Every resource of the JSON metrics requests among `requests`. */
export function exportedResources(requests: readonly ReceivedRequest[]): ExportedResource[] {
  const out: ExportedResource[] = [];
  for (const request of requests) {
    if (request.signal !== 'metrics') continue;
    for (const rm of (request.json as MetricsBody | undefined)?.resourceMetrics ?? []) {
      const attributes = attributeMap(rm.resource?.attributes);
      const names = (rm.scopeMetrics ?? []).flatMap((sm) => (sm.metrics ?? []).map((m) => m.name));
      const instance = attributes['service.instance.id'];
      out.push({
        service: String(attributes['service.name']),
        instance: typeof instance === 'string' ? instance : undefined,
        node: names.includes('quasar.node.up'),
        receivedAt: request.receivedAt,
      });
    }
  }
  return out;
}
