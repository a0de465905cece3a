/**
 * The app's RBAC actions and what `plugin.json` grants each basic role by default. `plugin.json`
 * declares the roles and gates each proxy route with one action (`reqAction`); this module reads
 * the same file, so the buttons the UI shows and the routes Grafana opens cannot drift apart.
 */
import pluginJson from './plugin.json';
import type { QueueAction } from './pulse/queue';

/** Grafana's basic organization roles, each holding what the one before it holds. */
export const BASIC_ROLES = ['Viewer', 'Editor', 'Admin'] as const;
export type BasicRole = (typeof BASIC_ROLES)[number];

const PREFIX = `${pluginJson.id}.`;

/** Reading the collector: every page and every GET route. */
export const READ_ACTION = `${PREFIX}queues:read`;

/** The action each queue verb needs; the proxy route `api/pulse/command/<verb>` requires it. */
export const VERB_ACTIONS: Readonly<Record<QueueAction, string>> = {
  retry: `${PREFIX}jobs:retry`,
  delete: `${PREFIX}jobs:delete`,
  inspect: `${PREFIX}jobs:inspect`,
  pause: `${PREFIX}queues:pause`,
  promote: `${PREFIX}jobs:promote`,
};

/** A role as `plugin.json` declares it. */
interface DeclaredRole {
  role: { name: string; permissions: Array<{ action: string }> };
  grants: string[];
}

/**
 * The actions `roles` grant `role` by default: those granted to it and to every basic role below
 * it, as Grafana's basic roles inherit (an Admin holds what an Editor holds).
 */
export function defaultActions(role: string, roles: readonly DeclaredRole[] = pluginJson.roles): ReadonlySet<string> {
  const rank = BASIC_ROLES.indexOf(role as BasicRole);
  const actions = new Set<string>();
  if (rank < 0) {
    return actions;
  }
  const reached = new Set<string>(BASIC_ROLES.slice(0, rank + 1));
  for (const declared of roles) {
    if (declared.grants.some((grant) => reached.has(grant))) {
      for (const permission of declared.role.permissions) {
        actions.add(permission.action);
      }
    }
  }
  return actions;
}
