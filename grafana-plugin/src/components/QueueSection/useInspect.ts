/** One node's inspection: which job the drawer shows, and whether it is still on its way. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { DEFAULT_POLL, inspectJob, type PollOptions } from '../../api/commands';
import type { InspectedJobView } from '../../api/inspectedJob';

/** The job asked for: a queue (or `*`, every monitored queue) and an id. */
export interface InspectTarget {
  queue: string;
  driver?: string;
  jobId: string;
}

/** What the drawer shows. */
export type InspectState =
  | { status: 'closed' }
  | { status: 'loading'; target: InspectTarget }
  | { status: 'error'; target: InspectTarget; message: string }
  | { status: 'done'; target: InspectTarget; job: InspectedJobView };

/** The drawer's state, a function to inspect a job, and one to close the drawer. */
export interface Inspection {
  state: InspectState;
  inspect: (target: InspectTarget) => void;
  close: () => void;
}

/**
 * Inspects jobs of one node. Only the latest request is shown: an answer to one the user has
 * closed or replaced is dropped.
 */
export function useInspect(service: string, nodeId: string, poll: PollOptions = DEFAULT_POLL): Inspection {
  const [state, setState] = useState<InspectState>({ status: 'closed' });
  const latest = useRef(0);
  useEffect(
    () => () => {
      latest.current++;
    },
    []
  );
  const inspect = useCallback(
    (target: InspectTarget) => {
      const request = ++latest.current;
      setState({ status: 'loading', target });
      inspectJob({ service, nodeId, ...target }, poll).then(
        (job) => {
          if (request === latest.current) {
            setState({ status: 'done', target, job });
          }
        },
        (error: unknown) => {
          if (request === latest.current) {
            setState({ status: 'error', target, message: error instanceof Error ? error.message : String(error) });
          }
        }
      );
    },
    [service, nodeId, poll]
  );
  const close = useCallback(() => {
    latest.current++;
    setState({ status: 'closed' });
  }, []);
  return { state, inspect, close };
}
