/** The resource an entry is exported under, even when looking its node up fails. */
import { QuasarKeys } from '@gravito/quasar/schema';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { NodeIdentity, SlowLogConsumerOptions } from './consumer-types';

/**
 * The node's identity from `resourceOf`; a bare one (`service.name`, `service.instance.id`,
 * unknown) if that throws, so one node never fails the batch it is in.
 */
export function identityOf(
  resourceOf: SlowLogConsumerOptions['resourceOf'],
  service: string,
  nodeId: string,
): NodeIdentity {
  try {
    return resourceOf(service, nodeId);
  } catch {
    const attributes = { 'service.name': service, 'service.instance.id': nodeId };
    const resource = resourceFromAttributes(attributes);
    return { nodeKey: QuasarKeys.node(service, nodeId), attributes, resource, known: false };
  }
}
