/**
 * What the signed-in user may do to a queue, verb by verb. A button shows only where the user
 * holds the verb and the queue's agent enabled it; the server refuses the rest regardless.
 */
import { QUEUE_ACTIONS, type QueueAction, type QueueView } from '../../pulse/queue';
import { userCanControlQueues } from './actions';

/** The remote-control verbs, as agents list them in a queue's `actions`. */
export const QUEUE_VERBS = QUEUE_ACTIONS;
export type QueueVerb = QueueAction;

/** The verbs a user holds. */
export type QueuePermissions = ReadonlySet<QueueVerb>;

/** Every verb: what `canControl` grants. */
export const ALL_VERBS: QueuePermissions = new Set(QUEUE_VERBS);
/** No verb: a Viewer's, and everyone's in read-only mode. */
export const NO_VERBS: QueuePermissions = new Set();

/** The signed-in user's verbs. */
export function userQueuePermissions(): QueuePermissions {
  return userCanControlQueues() ? ALL_VERBS : NO_VERBS;
}

/** Whether the user may run `verb` on `queue`: held by the user, enabled by the agent. */
export function may(permissions: QueuePermissions, queue: QueueView, verb: QueueVerb): boolean {
  return queue.error === null && permissions.has(verb) && queue.actions.includes(verb);
}
