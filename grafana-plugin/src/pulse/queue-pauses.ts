/**
 * Who paused a queue reaches the page with the service's queues (`GET /api/pulse/queues`, the
 * stream's `queues`), while a node card shows its heartbeat's own queue list: this copies each
 * paused queue's `pausedBy` / `pausedAt` from the service's snapshot of the same name onto the
 * node's entry. Both lists come from the network: only own fields are read, by name, and the
 * values are copied as they are, to be read defensively by `readQueue`.
 */
import { MAX_QUEUES } from '../api/limits';
import { field, id, isRecord } from '../api/read';

/**
 * `nodeQueues` with the pauser of each paused queue found in `serviceQueues`; the same array
 * when there is none to add, so an unchanged card keeps its props.
 */
export function withServicePauses(nodeQueues: unknown[], serviceQueues: readonly unknown[] | undefined): unknown[] {
  if (!serviceQueues || serviceQueues.length === 0) {
    return nodeQueues;
  }
  const pauses = new Map<string, { pausedBy: unknown; pausedAt: unknown }>();
  for (const queue of serviceQueues.slice(0, MAX_QUEUES)) {
    const name = id(field(queue, 'name'));
    if (name !== null && field(queue, 'paused') === true && field(queue, 'pausedBy') !== undefined) {
      pauses.set(name, { pausedBy: field(queue, 'pausedBy'), pausedAt: field(queue, 'pausedAt') });
    }
  }
  if (pauses.size === 0) {
    return nodeQueues;
  }
  let changed = false;
  const merged = nodeQueues.map((queue) => {
    const name = id(field(queue, 'name'));
    const pause = name === null ? undefined : pauses.get(name);
    if (!pause || !isRecord(queue) || field(queue, 'paused') !== true) {
      return queue;
    }
    changed = true;
    return { ...queue, ...pause };
  });
  return changed ? merged : nodeQueues;
}
