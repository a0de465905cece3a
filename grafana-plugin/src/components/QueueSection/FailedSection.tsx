import React, { useMemo, useState } from 'react';
import { Button } from '@grafana/ui';
import type { FailureGroup, FailureGroups } from '../../pulse/failure-groups';
import { FailedJobs, type FailedJobsProps } from './FailedJobs';
import { FailureGroupList, type GroupActions } from './FailureGroupList';
import { FailureSearch } from './FailureSearch';
import { normaliseQuery, searchFailures } from './searchFailures';
import { testIds } from '../testIds';

/** Props of {@link FailedSection}. */
export interface FailedSectionProps extends FailedJobsProps {
  /** The queue's name, for the search box's accessible name. */
  queue: string;
  groups: FailureGroups | null;
  /** Jobs failed in all, or `null` when the agent did not count them. */
  failed: number | null;
  /** The groups' bulk buttons. */
  groupActions?: GroupActions;
}

const NO_GROUPS: FailureGroup[] = [];

/**
 * A queue's failures: the groups first, and the individual failed jobs (with their buttons) on
 * demand. From an agent that sends no groups, the jobs as before. A search narrows both to what
 * mentions a name or an error, and opens the jobs it kept.
 */
export function FailedSection({ queue, groups, failed, groupActions, ...jobs }: FailedSectionProps) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const all = groups?.groups ?? NO_GROUPS;
  const matches = useMemo(() => searchFailures(all, jobs.jobs, query), [all, jobs.jobs, query]);
  if (all.length === 0 && jobs.jobs.length === 0) {
    return null;
  }
  const searching = normaliseQuery(query) !== '';
  const search = (
    <FailureSearch
      queue={queue}
      query={query}
      onChange={setQuery}
      shown={
        searching
          ? {
              groups: all.length > 0 ? matches.groups.length : null,
              ofGroups: all.length,
              jobs: matches.jobs.length,
              ofJobs: jobs.jobs.length,
            }
          : null
      }
    />
  );
  if (groups === null || all.length === 0) {
    return (
      <>
        {search}
        <FailedJobs {...jobs} jobs={matches.jobs} />
      </>
    );
  }
  const count = jobs.jobs.length;
  return (
    <>
      {search}
      <FailureGroupList
        groups={{ ...groups, groups: matches.groups }}
        failed={failed}
        now={jobs.now}
        actions={groupActions}
      />
      {count > 0 && !searching && (
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
      {(open || searching) && <FailedJobs {...jobs} jobs={matches.jobs} />}
    </>
  );
}
