/** Runs a queue button's command and reports its real outcome. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { DEFAULT_POLL, issueCommand, pollCommand, type PollOptions } from '../../api/commands';
import type { QueueView } from '../../pulse/queue';
import { actionKey, commandType, describeOutcome, toast, type JobAction } from './actions';

/** The in-flight actions of one queue and a function to start one. */
export interface JobActions {
  /** Keys (see `actionKey`) of the actions waiting for their outcome. */
  inFlight: ReadonlySet<string>;
  run: (action: JobAction) => Promise<void>;
}

/**
 * Issues commands for one queue of one node: POSTs the command, polls its status until it is
 * final, and shows a toast with the outcome. An action already in flight is not issued again.
 */
export function useJobAction(
  service: string,
  nodeId: string,
  queue: QueueView,
  poll: PollOptions = DEFAULT_POLL
): JobActions {
  const [inFlight, setInFlight] = useState<ReadonlySet<string>>(new Set());
  const running = useRef(new Set<string>());
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const { name, driver } = queue;
  const run = useCallback(
    async (action: JobAction) => {
      const key = actionKey(action);
      if (running.current.has(key)) {
        return;
      }
      running.current.add(key);
      setInFlight(new Set(running.current));
      try {
        const commandId = await issueCommand({
          service,
          nodeId,
          type: commandType(action),
          queue: name,
          ...(driver ? { driver } : {}),
          ...(action.kind === 'retry-all' ? { scope: 'all-failed' } : { jobId: action.job.id, scope: 'job' }),
        });
        const outcome = describeOutcome(action, await pollCommand(commandId, poll));
        toast(outcome.ok, outcome.message);
      } catch (error) {
        toast(false, error instanceof Error ? error.message : String(error));
      } finally {
        running.current.delete(key);
        // The toast still matters after the card is gone; the button state does not.
        if (mounted.current) {
          setInFlight(new Set(running.current));
        }
      }
    },
    [service, nodeId, name, driver, poll]
  );

  return { inFlight, run };
}
