import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Stack, useStyles2 } from '@grafana/ui';
import type { FailedJob } from '../../pulse/queue';
import { formatIsoTime, isShowableTime } from '../../format/time';
import { formatAge } from './format';
import { testIds } from '../testIds';

/** Props of {@link FailedJobs}. */
export interface FailedJobsProps {
  jobs: FailedJob[];
  /** Show the Retry button (the queue allows it and the user may issue commands). */
  canRetry: boolean;
  canDelete: boolean;
  /** Keys of the actions in flight: `retry:<id>`, `delete:<id>`. */
  inFlight: ReadonlySet<string>;
  onRetry: (job: FailedJob) => void;
  onDelete: (job: FailedJob) => void;
  /** Show the Inspect button (the queue allows `inspect` and the user holds it). */
  canInspect?: boolean;
  onInspect?: (job: FailedJob) => void;
  /** Epoch milliseconds the relative times are measured from. */
  now: number;
}

/** The failed sample: id, name, reason and when, with the per-job buttons the user may press. */
export function FailedJobs({
  jobs,
  canRetry,
  canDelete,
  inFlight,
  onRetry,
  onDelete,
  canInspect = false,
  onInspect,
  now,
}: FailedJobsProps) {
  const s = useStyles2(getStyles);
  if (jobs.length === 0) {
    return null;
  }
  return (
    <ul className={s.list} aria-label="Failed jobs">
      {jobs.map((job) => {
        const retrying = inFlight.has(`retry:${job.id}`);
        const deleting = inFlight.has(`delete:${job.id}`);
        return (
          <li key={job.id} className={s.job} data-testid={testIds.queueSection.failedJob} data-job-id={job.id}>
            <div className={s.text}>
              <div>
                <span className={s.id}>#{job.id}</span>
                {job.name && <span> {job.name}</span>}
                {isShowableTime(job.failedAt) && (
                  <span className={s.when} title={formatIsoTime(job.failedAt)}>
                    {' '}
                    · {formatAge(now - job.failedAt)} ago
                  </span>
                )}
              </div>
              {job.reason && <div className={s.reason}>{job.reason}</div>}
            </div>
            {(canRetry || canDelete || canInspect) && (
              <Stack gap={0.5}>
                {canInspect && onInspect && (
                  <Button
                    size="sm"
                    variant="secondary"
                    fill="outline"
                    icon="eye"
                    onClick={() => onInspect(job)}
                    aria-label={`Inspect job ${job.id}`}
                    data-testid={testIds.queueSection.inspect}
                  >
                    Inspect
                  </Button>
                )}
                {canRetry && (
                  <Button
                    size="sm"
                    variant="secondary"
                    icon={retrying ? 'spinner' : 'repeat'}
                    disabled={retrying || deleting}
                    onClick={() => onRetry(job)}
                    aria-label={`Retry job ${job.id}`}
                    data-testid={testIds.queueSection.retry}
                  >
                    Retry
                  </Button>
                )}
                {canDelete && (
                  <Button
                    size="sm"
                    variant="destructive"
                    fill="outline"
                    icon={deleting ? 'spinner' : 'trash-alt'}
                    disabled={retrying || deleting}
                    onClick={() => onDelete(job)}
                    aria-label={`Delete job ${job.id}`}
                    data-testid={testIds.queueSection.delete}
                  >
                    Delete
                  </Button>
                )}
              </Stack>
            )}
          </li>
        );
      })}
    </ul>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
  }),
  // The buttons wrap under the text on a narrow card instead of squeezing it.
  job: css({
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 1),
    borderLeft: `2px solid ${theme.colors.error.border}`,
    background: theme.colors.background.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  text: css({ flex: '1 1 160px', minWidth: 0, overflowWrap: 'anywhere' }),
  id: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  when: css({ color: theme.colors.text.secondary }),
  reason: css({ color: theme.colors.error.text }),
});
