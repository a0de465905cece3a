import React, { useState } from 'react';
import { Button } from '@grafana/ui';
import type { FailureGroups } from '../../pulse/failure-groups';
import { FailedJobs, type FailedJobsProps } from './FailedJobs';
import { FailureGroupList, type GroupActions } from './FailureGroupList';
import { testIds } from '../testIds';

/** Props of {@link FailedSection}. */
export interface FailedSectionProps extends FailedJobsProps {
  groups: FailureGroups | null;
  /** Jobs failed in all, or `null` when the agent did not count them. */
  failed: number | null;
  /** The groups' bulk buttons. */
  groupActions?: GroupActions;
}

/**
 * A queue's failures: the groups first, and the individual failed jobs (with their buttons) on
 * demand. From an agent that sends no groups, the jobs as before.
 */
export function FailedSection({ groups, failed, groupActions, ...jobs }: FailedSectionProps) {
  const [open, setOpen] = useState(false);
  if (groups === null || groups.groups.length === 0) {
    return <FailedJobs {...jobs} />;
  }
  const count = jobs.jobs.length;
  return (
    <>
      <FailureGroupList groups={groups} failed={failed} now={jobs.now} actions={groupActions} />
      {count > 0 && (
        <div>
          <Button
            size="sm"
            variant="secondary"
            fill="text"
            icon={open ? 'angle-down' : 'angle-right'}
            aria-expanded={open}
            onClick={() => setOpen(!open)}
            data-testid={testIds.queueSection.failedJobsToggle}
          >
            {open ? 'Hide' : 'Show'} the {count} newest failed {count === 1 ? 'job' : 'jobs'}
          </Button>
        </div>
      )}
      {open && <FailedJobs {...jobs} />}
    </>
  );
}
