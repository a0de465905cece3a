import React, { useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, ConfirmModal, useStyles2 } from '@grafana/ui';
import { DEFAULT_POLL, type PollOptions } from '../../api/commands';
import { readQueues, shownCounts, type FailedJob, type QueueView } from '../../pulse/queue';
import { testIds } from '../testIds';
import { type JobAction } from './actions';
import { ALL_VERBS, NO_VERBS, may, type QueuePermissions } from './permissions';
import { FailedSection } from './FailedSection';
import { FindJob } from './FindJob';
import { InspectDrawer } from './InspectDrawer';
import { useInspect } from './useInspect';
import { BulkPreviewModal } from './BulkPreviewModal';
import { bulkKey, useBulkAction } from './useBulkAction';
import { QueueControls } from './QueueControls';
import { formatAge, formatCount, formatRate } from './format';
import { QueueSparklines } from './QueueSparklines';
import { StackedBar } from './StackedBar';
import { useJobAction } from './useJobAction';
import { useQueuePermissions } from './useQueuePermissions';

const ids = testIds.queueSection;

/** Props of {@link QueueSection}. */
export interface QueueSectionProps {
  service: string;
  nodeId: string;
  /** The heartbeat's `queues`, as the agent sent them. */
  queues: unknown[];
  /** Whether the user may issue every command (true) or none (false); see `permissions`. */
  canControl?: boolean;
  /**
   * The verbs the user holds; when both are left out, read from Grafana's signed-in user (RBAC
   * actions, else the basic role's defaults) and the app's read-only switch.
   */
  permissions?: QueuePermissions;
  /** How often a command's status is read; {@link DEFAULT_POLL} when left out. */
  poll?: PollOptions;
}

/** A node's queues: counts, a stacked bar, the failed sample, and the actions the user may run. */
export function QueueSection({
  service,
  nodeId,
  queues,
  canControl,
  permissions,
  poll = DEFAULT_POLL,
}: QueueSectionProps) {
  const s = useStyles2(getStyles);
  const views = useMemo(() => readQueues(queues), [queues]);
  const held = useQueuePermissions();
  const allowed = permissions ?? (canControl === undefined ? held : canControl ? ALL_VERBS : NO_VERBS);
  const now = useNow();
  const inspection = useInspect(service, nodeId, poll);
  const mayInspect = views.some((queue) => may(allowed, queue, 'inspect'));
  if (views.length === 0) {
    return (
      <div className={s.empty} data-testid={ids.empty}>
        No queues reported
      </div>
    );
  }
  return (
    <section className={s.section} aria-label="Queues" data-testid={ids.section}>
      {views.map((queue) => (
        <QueueRow
          key={queue.name}
          now={now}
          service={service}
          nodeId={nodeId}
          queue={queue}
          permissions={allowed}
          poll={poll}
          onInspect={(job) =>
            inspection.inspect({ queue: queue.name, ...(queue.driver ? { driver: queue.driver } : {}), jobId: job.id })
          }
        />
      ))}
      {mayInspect && <FindJob nodeId={nodeId} onFind={(jobId) => inspection.inspect({ queue: '*', jobId })} />}
      <InspectDrawer nodeId={nodeId} state={inspection.state} onClose={inspection.close} />
    </section>
  );
}

/** The clock the relative times read, ticking while the section is shown. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), NOW_TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

const NOW_TICK_MS = 15_000;

interface QueueRowProps {
  now: number;
  service: string;
  nodeId: string;
  queue: QueueView;
  permissions: QueuePermissions;
  poll: PollOptions;
  onInspect: (job: FailedJob) => void;
}

/**
 * What the confirmation modal is asking about: every action, since a retry runs the job's side
 * effects again (an email sent twice) and a delete cannot be undone.
 */
type Pending = JobAction;

const CONFIRM: Record<JobAction['kind'], { title: string; text: string }> = {
  retry: { title: 'Retry failed job', text: 'Retry' },
  delete: { title: 'Delete failed job', text: 'Delete' },
  'retry-all': { title: 'Retry all failed jobs', text: 'Retry all' },
};

function confirmBody(pending: Pending | null, queue: string, nodeId: string): string {
  switch (pending?.kind) {
    case 'retry':
      return `Retry job ${pending.job.id} of queue ${queue} on ${nodeId}? It runs again, side effects included.`;
    case 'delete':
      return `Delete job ${pending.job.id} from queue ${queue} on ${nodeId}? It cannot be retried afterwards.`;
    default:
      return `Retry every failed job of queue ${queue} on ${nodeId}?`;
  }
}

function QueueRow({ now, service, nodeId, queue, permissions, poll, onInspect }: QueueRowProps) {
  const s = useStyles2(getStyles);
  const { inFlight, run } = useJobAction(service, nodeId, queue, poll);
  const bulk = useBulkAction(service, nodeId, queue, poll);
  const [confirming, setConfirming] = useState<Pending | null>(null);
  const canRetry = may(permissions, queue, 'retry');
  const canDelete = may(permissions, queue, 'delete');
  const canInspect = may(permissions, queue, 'inspect');
  const start = (action: JobAction) => {
    void run(action);
  };
  const retryingAll = inFlight.has('retry-all');

  return (
    <div className={s.queue} data-testid={ids.queue} data-queue={queue.name}>
      <div className={s.header}>
        <span className={s.name}>{queue.name}</span>
        {queue.driver && <span className={s.driver}>{queue.driver}</span>}
        <QueueControls
          service={service}
          nodeId={nodeId}
          queue={queue}
          permissions={permissions}
          poll={poll}
          now={now}
        />
        {canRetry && (
          <Button
            className={s.retryAll}
            size="sm"
            variant="secondary"
            icon={retryingAll ? 'spinner' : 'repeat'}
            disabled={retryingAll || queue.failed === 0}
            onClick={() => setConfirming({ kind: 'retry-all' })}
            data-testid={ids.retryAll}
          >
            Retry all failed
          </Button>
        )}
      </div>
      {queue.error !== null ? (
        <div className={s.error} role="alert" data-testid={ids.error}>
          Probe failed: {queue.error}
        </div>
      ) : (
        <>
          <dl className={s.counts}>
            {shownCounts(queue.counts).map((c) => (
              <div key={c.state} className={s.count} data-testid={ids.count} data-state={c.state}>
                <dt className={s.state}>{c.state}</dt>
                <dd className={s.figure}>{formatCount(c.count)}</dd>
              </div>
            ))}
          </dl>
          <StackedBar counts={queue.counts} label={queue.name} />
          {queue.throughput !== null && (
            <div className={s.oldest} data-testid={ids.throughput}>
              {formatRate(queue.throughput.in)} in · {formatRate(queue.throughput.out)} out
              {queue.throughput.failed !== null && <> · {formatRate(queue.throughput.failed)} failed</>}
            </div>
          )}
          <QueueSparklines service={service} queue={queue.name} />
          {queue.oldestWaitingAgeMs !== null && (
            <div className={s.oldest} data-testid={ids.oldestWaiting}>
              oldest waiting {formatAge(queue.oldestWaitingAgeMs)}
            </div>
          )}
          <FailedSection
            queue={queue.name}
            groups={queue.failureGroups}
            failed={queue.failed}
            jobs={queue.failedSample}
            canRetry={canRetry}
            canDelete={canDelete}
            inFlight={inFlight}
            onRetry={(job) => setConfirming({ kind: 'retry', job })}
            onDelete={(job) => setConfirming({ kind: 'delete', job })}
            canInspect={canInspect}
            onInspect={onInspect}
            now={now}
            groupActions={{
              canRetry,
              canDelete,
              isBusy: (verb, group) => bulk.busy.has(bulkKey(verb, group)),
              onBulk: (verb, group) => void bulk.preview(verb, group),
            }}
          />
        </>
      )}
      {bulk.confirming !== null && (
        <BulkPreviewModal
          verb={bulk.confirming.verb}
          queue={queue.name}
          message={bulk.confirming.group.message}
          preview={bulk.confirming.preview}
          skipped={bulk.confirming.skipped}
          onConfirm={() => void bulk.confirm()}
          onDismiss={bulk.dismiss}
        />
      )}
      <ConfirmModal
        isOpen={confirming !== null}
        title={CONFIRM[confirming?.kind ?? 'retry-all'].title}
        body={confirmBody(confirming, queue.name, nodeId)}
        confirmText={CONFIRM[confirming?.kind ?? 'retry-all'].text}
        confirmVariant={confirming?.kind === 'delete' ? 'destructive' : 'primary'}
        onConfirm={() => {
          if (confirming) {
            start(confirming);
          }
          setConfirming(null);
        }}
        onDismiss={() => setConfirming(null)}
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1.5) }),
  empty: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  queue: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.75) }),
  header: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), flexWrap: 'wrap' }),
  name: css({ fontWeight: theme.typography.fontWeightMedium }),
  driver: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  retryAll: css({ marginLeft: 'auto' }),
  error: css({
    color: theme.colors.error.text,
    fontSize: theme.typography.bodySmall.fontSize,
    overflowWrap: 'anywhere',
  }),
  counts: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5, 1.5), margin: 0 }),
  count: css({ display: 'flex', gap: theme.spacing(0.5), alignItems: 'baseline' }),
  state: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: 'normal',
  }),
  figure: css({ margin: 0, fontVariantNumeric: 'tabular-nums' }),
  oldest: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
