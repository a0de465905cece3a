/** What the queue-wide buttons (pause, resume, promote) send and say, apart from React. */
import type { CommandRequest, CommandStatus } from '../../api/commands';

/** A queue-wide action. */
export type QueueCommand = 'pause' | 'resume' | 'promote';

/** The command of `action` on `queue`. */
export function queueCommandRequest(
  action: QueueCommand,
  service: string,
  nodeId: string,
  queue: string,
  driver: string | null
): CommandRequest {
  const common = { service, nodeId, queue, ...(driver ? { driver } : {}) };
  switch (action) {
    case 'pause':
      return { ...common, type: 'PAUSE_QUEUE', scope: 'queue' };
    case 'resume':
      return { ...common, type: 'RESUME_QUEUE', scope: 'queue' };
    default:
      return { ...common, type: 'PROMOTE_JOB', scope: 'all-delayed' };
  }
}

/** The confirmation modal's title, button and body: what happens, on every node. */
export function queueCommandConfirm(
  action: QueueCommand,
  queue: string
): { title: string; text: string; body: string } {
  switch (action) {
    case 'pause':
      return {
        title: 'Pause queue',
        text: 'Pause',
        body: `Pause queue ${queue}? Workers stop taking new jobs from ${queue} on every node; jobs in progress finish. New jobs wait until the queue is resumed.`,
      };
    case 'resume':
      return {
        title: 'Resume queue',
        text: 'Resume',
        body: `Resume queue ${queue}? Workers on every node take its waiting jobs again.`,
      };
    default:
      return {
        title: 'Promote delayed jobs',
        text: 'Promote',
        body: `Promote the delayed jobs of queue ${queue}? They wait no longer: workers take them now rather than at their scheduled time (at most the agent's per-command limit, soonest due first).`,
      };
  }
}

/** The toast text for a finished queue command, and whether it is good news. */
export function describeQueueOutcome(
  action: QueueCommand,
  queue: string,
  outcome: CommandStatus
): { ok: boolean; message: string } {
  switch (outcome.status) {
    case 'succeeded': {
      const affected = outcome.affected ?? 0;
      if (action === 'promote') {
        return { ok: true, message: `promoted ${affected} ${affected === 1 ? 'job' : 'jobs'} of ${queue}` };
      }
      if (affected === 0) {
        return { ok: true, message: `${queue} was already ${action === 'pause' ? 'paused' : 'running'}` };
      }
      return { ok: true, message: `${action === 'pause' ? 'paused' : 'resumed'} ${queue}` };
    }
    case 'rejected':
    case 'failed':
      return { ok: false, message: `${outcome.status}: ${outcome.reason ?? 'no reason given'}` };
    case 'expired':
      return { ok: false, message: 'expired: no agent answered before the deadline' };
    default:
      return { ok: false, message: `still ${outcome.status}` };
  }
}
