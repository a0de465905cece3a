/**
 * Grafana's RBAC for the app's proxy routes, as far as the page needs it: the roles the plugin's
 * `plugin.json` declares give each basic role their actions by default (an Admin holds what an
 * Editor holds, an Editor what a Viewer holds), and a route with `reqAction` admits only a holder
 * of that action. A route without one falls back on `reqRole`, as Grafana does.
 */
import { ORG_ROLES, type OrgRole } from './options';

/** A role as `plugin.json` declares it. */
export interface PluginRole {
  role: { name: string; permissions: Array<{ action: string }> };
  grants: string[];
}

/** Most roles and actions per role read from `plugin.json`. */
const MAX_ROLES = 64;
const MAX_ACTIONS = 256;

/** The well-formed roles of `value` (a `plugin.json`'s `roles`); anything else is dropped. */
export function readPluginRoles(value: unknown): PluginRole[] {
  if (!Array.isArray(value)) return [];
  const roles: PluginRole[] = [];
  for (const entry of value.slice(0, MAX_ROLES) as unknown[]) {
    const role = (entry as { role?: { name?: unknown; permissions?: unknown } } | null)?.role;
    const grants = (entry as { grants?: unknown } | null)?.grants;
    if (typeof role?.name !== 'string' || !Array.isArray(role.permissions)) continue;
    if (!Array.isArray(grants)) continue;
    const permissions = (role.permissions as unknown[])
      .slice(0, MAX_ACTIONS)
      .map((p) => (p as { action?: unknown } | null)?.action)
      .filter((action): action is string => typeof action === 'string')
      .map((action) => ({ action }));
    roles.push({
      role: { name: role.name, permissions },
      grants: (grants as unknown[]).filter((g): g is string => typeof g === 'string'),
    });
  }
  return roles;
}

/** The actions `roles` grant `role` and every basic role below it. */
export function actionsOf(role: OrgRole, roles: readonly PluginRole[]): ReadonlySet<string> {
  const reached = new Set<string>(ORG_ROLES.slice(0, ORG_ROLES.indexOf(role) + 1));
  const actions = new Set<string>();
  for (const declared of roles) {
    if (!declared.grants.some((grant) => reached.has(grant))) continue;
    for (const { action } of declared.role.permissions) actions.add(action);
  }
  return actions;
}

/** The actions as Grafana's boot data lists them (`user.permissions`): action → true. */
export function permissionMap(actions: ReadonlySet<string>): Record<string, boolean> {
  const map: Record<string, boolean> = Object.create(null) as Record<string, boolean>;
  for (const action of actions) map[action] = true;
  return map;
}

/**
 * Whether a user of `role` holding `actions` may use `route`: its `reqAction` when it has one
 * (Grafana then ignores `reqRole`), else its `reqRole`.
 */
export function mayUseRoute(
  route: { reqAction?: string; reqRole?: OrgRole },
  role: OrgRole,
  actions: ReadonlySet<string>,
): boolean {
  if (typeof route.reqAction === 'string' && route.reqAction !== '') {
    return actions.has(route.reqAction);
  }
  const required = route.reqRole;
  return required === undefined || ORG_ROLES.indexOf(role) >= ORG_ROLES.indexOf(required);
}
