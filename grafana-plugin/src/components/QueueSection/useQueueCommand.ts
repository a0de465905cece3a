/** Runs a queue-wide button's command (pause, resume, promote) and reports its real outcome. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { DEFAULT_POLL, issueCommand, pollCommand, type PollOptions } from '../../api/commands';
import type { QueueView } from '../../pulse/queue';
import { toast } from './actions';
import { describeQueueOutcome, queueCommandRequest, type QueueCommand } from './queueCommands';

/** The queue command in flight, if any, and a function to start one. */
export interface QueueCommands {
  inFlight: QueueCommand | null;
  run: (action: QueueCommand) => Promise<void>;
}

/**
 * Issues queue commands for one queue of one node, one at a time: POSTs the command, polls its
 * status until it is final, and shows a toast with the outcome.
 */
export function useQueueCommand(
  service: string,
  nodeId: string,
  queue: QueueView,
  poll: PollOptions = DEFAULT_POLL
): QueueCommands {
  const [inFlight, setInFlight] = useState<QueueCommand | null>(null);
  const running = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const { name, driver } = queue;
  const run = useCallback(
    async (action: QueueCommand) => {
      if (running.current) {
        return;
      }
      running.current = true;
      setInFlight(action);
      try {
        const commandId = await issueCommand(queueCommandRequest(action, service, nodeId, name, driver));
        const outcome = describeQueueOutcome(action, name, await pollCommand(commandId, poll));
        toast(outcome.ok, outcome.message);
      } catch (error) {
        toast(false, error instanceof Error ? error.message : String(error));
      } finally {
        running.current = false;
        if (mounted.current) {
          setInFlight(null);
        }
      }
    },
    [service, nodeId, name, driver, poll]
  );

  return { inFlight, run };
}
