/**
 * What the signed-in user may do to a queue, verb by verb. A button shows only where the user
 * holds the verb and the queue's agent enabled it; the server refuses the rest regardless: Grafana
 * gates each verb's proxy route with the verb's RBAC action, and the collector checks the token's
 * scope and the app's read-only switch.
 */
import { config } from '@grafana/runtime';
import { QUEUE_ACTIONS, type QueueAction, type QueueView } from '../../pulse/queue';
import { defaultActions, VERB_ACTIONS } from '../../rbac';

/** The remote-control verbs, as agents list them in a queue's `actions`. */
export const QUEUE_VERBS = QUEUE_ACTIONS;
export type QueueVerb = QueueAction;

/** The verbs a user holds. */
export type QueuePermissions = ReadonlySet<QueueVerb>;

/** Every verb: what `canControl` grants. */
export const ALL_VERBS: QueuePermissions = new Set(QUEUE_VERBS);
/** No verb: a Viewer's, and everyone's in read-only mode. */
export const NO_VERBS: QueuePermissions = new Set();

/** Longest permission map read from the boot data; Grafana's own hold a few hundred actions. */
const MAX_PERMISSIONS = 10_000;

/**
 * Whether the user holds `action`. Grafana (10+, RBAC on) puts the user's actions in
 * `bootData.user.permissions`; without that map (or with an empty one), the basic role's defaults
 * from `plugin.json`.
 */
function holder(): (action: string) => boolean {
  const user = config.bootData?.user;
  const permissions: unknown = user?.permissions;
  if (typeof permissions === 'object' && permissions !== null && !Array.isArray(permissions)) {
    const map = permissions as Record<string, unknown>;
    const size = Object.keys(map).length;
    if (size > 0 && size <= MAX_PERMISSIONS) {
      return (action) => Object.hasOwn(map, action) && map[action] === true;
    }
  }
  const defaults = defaultActions(String(user?.orgRole ?? ''));
  return (action) => defaults.has(action);
}

/**
 * The signed-in user's verbs: each one whose RBAC action the user holds, and none while the app
 * is in read-only mode (`jsonData.readOnly`).
 */
export function userQueuePermissions(readOnly = false): QueuePermissions {
  if (readOnly) {
    return NO_VERBS;
  }
  const holds = holder();
  return new Set(QUEUE_VERBS.filter((verb) => holds(VERB_ACTIONS[verb])));
}

/** Whether the user may run `verb` on `queue`: held by the user, enabled by the agent. */
export function may(permissions: QueuePermissions, queue: QueueView, verb: QueueVerb): boolean {
  return queue.error === null && permissions.has(verb) && queue.actions.includes(verb);
}
