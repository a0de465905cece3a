/**
 * Adds who paused a queue, and when, to the queues whose own snapshot says `paused`: the
 * record of a queue resumed outside Quasar is not shown, and a queue paused outside Quasar
 * shows as paused with no one named.
 */
import type { PauseRecords } from '../redis/pause-records';
import type { ServiceQueues } from './queues';

/** The paused queues' names by service: what `readPauseRecords` should read. */
export function pausedQueues(services: readonly ServiceQueues[]): Map<string, string[]> {
  const paused = new Map<string, string[]>();
  for (const { service, queues } of services) {
    const names = queues.filter((q) => q.paused === true).map((q) => q.name);
    if (names.length > 0) paused.set(service, names);
  }
  return paused;
}

/** `services` with `pausedBy` / `pausedAt` on each paused queue that has a record. */
export function withPausedBy(
  services: readonly ServiceQueues[],
  records: PauseRecords,
): ServiceQueues[] {
  return services.map(({ service, queues }) => {
    const byQueue = records.get(service);
    if (!byQueue) return { service, queues };
    return {
      service,
      queues: queues.map((q) => {
        const record = q.paused === true ? byQueue.get(q.name) : undefined;
        return record ? { ...q, pausedBy: record.actor, pausedAt: record.at } : q;
      }),
    };
  });
}
