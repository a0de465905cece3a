/** What the queue buttons do and say, apart from React. */
import { AppEvents } from '@grafana/data';
import { getAppEvents } from '@grafana/runtime';
import type { CommandStatus, CommandType } from '../../api/commands';
import type { FailedJob } from '../../pulse/queue';

/** One button's action: a single failed job, or every failed job of the queue. */
export type JobAction = { kind: 'retry' | 'delete'; job: FailedJob } | { kind: 'retry-all' };

/** A key naming the action, so each button knows whether its own command is in flight. */
export function actionKey(action: JobAction): string {
  return action.kind === 'retry-all' ? 'retry-all' : `${action.kind}:${action.job.id}`;
}

/** The command type of an action. */
export function commandType(action: JobAction): CommandType {
  return action.kind === 'delete' ? 'DELETE_JOB' : 'RETRY_JOB';
}

/** The toast text for a finished command, and whether it is good news. */
export function describeOutcome(action: JobAction, outcome: CommandStatus): { ok: boolean; message: string } {
  switch (outcome.status) {
    case 'succeeded': {
      const verb = action.kind === 'delete' ? 'deleted' : 'retried';
      const affected = outcome.affected ?? 0;
      return { ok: true, message: `${verb} ${affected} ${affected === 1 ? 'job' : 'jobs'}` };
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

/** Shows a success or error toast through Grafana's app events. */
export function toast(ok: boolean, message: string): void {
  getAppEvents().publish({ type: ok ? AppEvents.alertSuccess.name : AppEvents.alertError.name, payload: [message] });
}
