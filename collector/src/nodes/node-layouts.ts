/** Which key layouts each service's nodes write, as their heartbeat keys tell it. */
import { parseNodeKey } from '@gravito/quasar/schema';
import type { KeyLayout } from '@gravito/quasar/schema';
import type { NodeView } from './node-view';

/** The layouts of each service's nodes: both, for a service migrating from v1 to v2. */
export function layoutsByService(views: readonly NodeView[]): Map<string, Set<KeyLayout>> {
  const out = new Map<string, Set<KeyLayout>>();
  for (const view of views) {
    const layout = parseNodeKey(view.key)?.layout ?? 'v1';
    const service = view.heartbeat.service;
    let layouts = out.get(service);
    if (!layouts) out.set(service, (layouts = new Set()));
    layouts.add(layout);
  }
  return out;
}
