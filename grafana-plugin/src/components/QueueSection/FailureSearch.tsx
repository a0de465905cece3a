import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, Input, useStyles2 } from '@grafana/ui';
import { MAX_QUERY_LENGTH } from './searchFailures';
import { testIds } from '../testIds';

const ids = testIds.queueSection;

/** Props of {@link FailureSearch}. */
export interface FailureSearchProps {
  /** The queue searched, for the box's accessible name. */
  queue: string;
  query: string;
  onChange: (query: string) => void;
  /** What the query keeps: `null` counts are not shown (no groups, or no query). */
  shown: { groups: number | null; ofGroups: number; jobs: number; ofJobs: number } | null;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/**
 * The search box over a queue's failures, and what it matched: "1 of 3 groups · 6 of 12 jobs
 * match", or that nothing did. The matching is in `searchFailures.ts`.
 */
export function FailureSearch({ queue, query, onChange, shown }: FailureSearchProps) {
  const s = useStyles2(getStyles);
  const none = shown !== null && (shown.groups ?? 0) === 0 && shown.jobs === 0;
  return (
    <div className={s.wrap}>
      <Input
        className={s.input}
        value={query}
        maxLength={MAX_QUERY_LENGTH}
        prefix={<Icon name="search" />}
        placeholder="Search failures by name or error"
        aria-label={`Search the failures of ${queue} by name or error`}
        onChange={(event) => onChange(event.currentTarget.value)}
        data-testid={ids.failureSearch}
      />
      {shown !== null && (
        <span
          className={s.summary}
          role="status"
          data-testid={none ? ids.failureSearchEmpty : ids.failureSearchSummary}
        >
          {none ? (
            'No failure groups or failed jobs match'
          ) : (
            <>
              {shown.groups !== null &&
                `${shown.groups} of ${shown.ofGroups} ${plural(shown.ofGroups, 'group', 'groups')} · `}
              {shown.jobs} of {shown.ofJobs} {plural(shown.ofJobs, 'job', 'jobs')} match
            </>
          )}
        </span>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
  input: css({ maxWidth: 320 }),
  summary: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
