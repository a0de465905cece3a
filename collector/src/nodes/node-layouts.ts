/** Which key layouts each service's nodes write, as their heartbeat keys tell it. */
import { parseNodeKey } from '@gravito/quasar/schema';
import type { KeyLayout } from '@gravito/quasar/schema';
import type { NodeView } from './node-view';

/** The layout a heartbeat key is in; undefined when it is not one. */
export type LayoutOf = (key: string) => KeyLayout | undefined;

const parsedLayout: LayoutOf = (key) => parseNodeKey(key)?.layout;

/**
 * The layouts of each service's nodes: both, for a service migrating from v1 to v2.
 * @param layoutOf - the layout of a view's key: the registry's, which parsed it once already.
 */
export function layoutsByService(
  views: readonly NodeView[],
  layoutOf: LayoutOf = parsedLayout,
): Map<string, Set<KeyLayout>> {
  const out = new Map<string, Set<KeyLayout>>();
  for (const view of views) {
    const layout = layoutOf(view.key) ?? 'v1';
    const service = view.heartbeat.service;
    let layouts = out.get(service);
    if (!layouts) out.set(service, (layouts = new Set()));
    layouts.add(layout);
  }
  return out;
}
