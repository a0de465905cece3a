import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Modal, useStyles2 } from '@grafana/ui';
import type { CommandPreview, SkippedJobs } from '../../api/commands';
import { formatIsoTime, isShowableTime } from '../../format/time';
import { blastRadius, capText, willTake, type BulkVerb } from './bulkText';
import { testIds } from '../testIds';

const ids = testIds.queueSection;

/** Props of {@link BulkPreviewModal}. */
export interface BulkPreviewModalProps {
  verb: BulkVerb;
  queue: string;
  /** The failure group's normalised message. */
  message: string;
  /** The dry run's preview and what it would skip. */
  preview: CommandPreview;
  skipped: readonly SkippedJobs[];
  onConfirm: () => void;
  onDismiss: () => void;
}

/**
 * The confirmation of a bulk command on one failure group, showing its blast radius as the
 * agent's dry run found it: how many jobs (exact, or at least so many of those scanned), the
 * newest of them, and the agent's cap. Every value is agent data and rendered as text.
 */
export function BulkPreviewModal({
  verb,
  queue,
  message,
  preview,
  skipped,
  onConfirm,
  onDismiss,
}: BulkPreviewModalProps) {
  const s = useStyles2(getStyles);
  const take = willTake(preview, skipped);
  const title = verb === 'delete' ? 'Delete all like this' : 'Retry all like this';
  return (
    <Modal title={title} isOpen onDismiss={onDismiss}>
      <div data-testid={ids.bulkPreview} className={s.body}>
        <div className={s.message}>
          {verb === 'delete' ? 'Delete' : 'Retry'} the failed jobs of queue {queue} failing with: {message}
        </div>
        <div className={s.radius} data-testid={ids.bulkRadius}>
          {blastRadius(preview)}
        </div>
        <div data-testid={ids.bulkCap}>{capText(verb, preview, skipped)}</div>
        {preview.sample.length > 0 && (
          <ul className={s.sample} aria-label="Newest matching jobs">
            {preview.sample.map((job, i) => (
              <li key={`${i}:${job.id}`} data-testid={ids.bulkSample} className={s.job}>
                <span className={s.id}>#{job.id}</span>
                {job.name !== null && ` ${job.name}`}
                {isShowableTime(job.failedAt) && <span className={s.meta}> · {formatIsoTime(job.failedAt)}</span>}
                {job.reason !== null && <div className={s.meta}>{job.reason}</div>}
              </li>
            ))}
          </ul>
        )}
      </div>
      <Modal.ButtonRow>
        <Button variant="secondary" fill="outline" onClick={onDismiss}>
          Cancel
        </Button>
        <Button
          variant={verb === 'delete' ? 'destructive' : 'primary'}
          disabled={take === 0}
          onClick={onConfirm}
          data-testid={ids.bulkConfirm}
        >
          {verb === 'delete' ? 'Delete' : 'Retry'} {take.toLocaleString('en-US')}
        </Button>
      </Modal.ButtonRow>
    </Modal>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  body: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), overflowWrap: 'anywhere' }),
  message: css({ color: theme.colors.text.secondary }),
  radius: css({ fontSize: theme.typography.h4.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  sample: css({ listStyle: 'none', margin: 0, padding: 0, maxHeight: 240, overflowY: 'auto' }),
  job: css({ padding: theme.spacing(0.5, 0), borderBottom: `1px solid ${theme.colors.border.weak}` }),
  id: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  meta: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
