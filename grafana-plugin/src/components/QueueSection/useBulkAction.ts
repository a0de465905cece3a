/**
 * Runs a failure group's bulk command in two steps: a dry run first, whose preview the user
 * confirms, then the command itself, with a toast of what it did and skipped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  DEFAULT_POLL,
  issueCommand,
  pollCommand,
  type CommandPreview,
  type CommandRequest,
  type PollOptions,
  type SkippedJobs,
} from '../../api/commands';
import type { FailureGroup } from '../../pulse/failure-groups';
import type { QueueView } from '../../pulse/queue';
import { toast } from './actions';
import { describeBulkOutcome, type BulkVerb } from './bulkText';

/** A dry run the user is asked to confirm. */
export interface BulkConfirmation {
  verb: BulkVerb;
  group: FailureGroup;
  preview: CommandPreview;
  skipped: SkippedJobs[];
}

/** The bulk actions of one queue. */
export interface BulkActions {
  /** Keys (`verb:groupKey`) of the dry runs and commands waiting for their outcome. */
  busy: ReadonlySet<string>;
  /** The preview waiting for the user, if any. */
  confirming: BulkConfirmation | null;
  /** Starts with the dry run. */
  preview: (verb: BulkVerb, group: FailureGroup) => Promise<void>;
  /** Runs the confirmed command. */
  confirm: () => Promise<void>;
  dismiss: () => void;
}

/** The key of one group's verb. */
export const bulkKey = (verb: BulkVerb, group: FailureGroup) => `${verb}:${group.key}`;

/** Bulk commands for the failure groups of one queue of one node. */
export function useBulkAction(
  service: string,
  nodeId: string,
  queue: QueueView,
  poll: PollOptions = DEFAULT_POLL
): BulkActions {
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState<BulkConfirmation | null>(null);
  const running = useRef(new Set<string>());
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const { name, driver } = queue;
  /** Issues the group's command and waits for its outcome; one per key at a time. */
  const issue = useCallback(
    async (verb: BulkVerb, group: FailureGroup, dryRun: boolean) => {
      const key = bulkKey(verb, group);
      if (running.current.has(key)) {
        return null;
      }
      running.current.add(key);
      setBusy(new Set(running.current));
      try {
        const request: CommandRequest = {
          service,
          nodeId,
          type: verb === 'delete' ? 'DELETE_JOB' : 'RETRY_JOB',
          queue: name,
          ...(driver ? { driver } : {}),
          scope: 'all-failed',
          fingerprint: group.key,
          ...(dryRun ? { dryRun: true } : {}),
        };
        return await pollCommand(await issueCommand(request), poll);
      } finally {
        running.current.delete(key);
        if (mounted.current) {
          setBusy(new Set(running.current));
        }
      }
    },
    [service, nodeId, name, driver, poll]
  );

  const preview = useCallback(
    async (verb: BulkVerb, group: FailureGroup) => {
      try {
        const outcome = await issue(verb, group, true);
        if (outcome === null) {
          return;
        }
        if (outcome.status !== 'succeeded' || outcome.preview === null) {
          const failed = describeBulkOutcome(verb, outcome);
          toast(false, failed.ok ? 'the agent sent no preview' : failed.message);
          return;
        }
        if (mounted.current) {
          setConfirming({ verb, group, preview: outcome.preview, skipped: outcome.skipped });
        }
      } catch (error) {
        toast(false, error instanceof Error ? error.message : String(error));
      }
    },
    [issue]
  );

  const confirm = useCallback(async () => {
    const confirmed = confirming;
    setConfirming(null);
    if (confirmed === null) {
      return;
    }
    try {
      const outcome = await issue(confirmed.verb, confirmed.group, false);
      if (outcome !== null) {
        const { ok, message } = describeBulkOutcome(confirmed.verb, outcome);
        toast(ok, message);
      }
    } catch (error) {
      toast(false, error instanceof Error ? error.message : String(error));
    }
  }, [confirming, issue]);

  const dismiss = useCallback(() => setConfirming(null), []);
  return { busy, confirming, preview, confirm, dismiss };
}
