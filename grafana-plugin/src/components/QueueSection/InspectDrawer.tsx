import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Drawer, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import type { InspectedJobView } from '../../api/inspectedJob';
import { formatIsoTime, isShowableTime } from '../../format/time';
import { testIds } from '../testIds';
import { prettyJson } from './prettyJson';
import type { InspectState } from './useInspect';

const ids = testIds.inspect;

/** Props of {@link InspectDrawer}. */
export interface InspectDrawerProps {
  nodeId: string;
  state: InspectState;
  onClose: () => void;
}

/**
 * One inspected job in a drawer. Every value is agent data, so every value is a text node:
 * payloads are laid out in `<pre>` as the text they are, never parsed into markup.
 */
export function InspectDrawer({ nodeId, state, onClose }: InspectDrawerProps) {
  const s = useStyles2(getStyles);
  if (state.status === 'closed') {
    return null;
  }
  const { target } = state;
  const where = target.queue === '*' ? `every queue on ${nodeId}` : `${target.queue} on ${nodeId}`;
  return (
    <Drawer title={`Job ${target.jobId}`} subtitle={where} size="md" onClose={onClose}>
      <div className={s.body} data-testid={ids.drawer}>
        {state.status === 'loading' && <LoadingPlaceholder text="Asking the agent for the job…" />}
        {state.status === 'error' && (
          <Alert severity="error" title="The job could not be inspected" data-testid={ids.error}>
            {state.message}
          </Alert>
        )}
        {state.status === 'done' && <JobDetails job={state.job} />}
      </div>
    </Drawer>
  );
}

function JobDetails({ job }: { job: InspectedJobView }) {
  const s = useStyles2(getStyles);
  const facts: Array<[string, string | null]> = [
    ['Queue', job.queue],
    ['Id', job.id],
    ['Name', job.name],
    ['State', job.state],
    ['Attempts', attempts(job)],
    ['Created', time(job.createdAt)],
    ['Started', time(job.processedAt)],
    ['Finished', time(job.finishedAt)],
    ['Due', time(job.delayUntil)],
  ];
  return (
    <>
      <dl className={s.facts}>
        {facts.map(([name, value]) =>
          value === null ? null : (
            <div key={name} className={s.fact} data-testid={ids.fact} data-fact={name}>
              <dt className={s.term}>{name}</dt>
              <dd className={s.value}>{value}</dd>
            </div>
          )
        )}
      </dl>
      <div className={s.notes}>
        <span data-testid={ids.redacted}>
          {job.redacted} {job.redacted === 1 ? 'value' : 'values'} redacted
        </span>
        {job.truncated.length > 0 && <span data-testid={ids.truncated}> · cut to fit: {job.truncated.join(', ')}</span>}
      </div>
      {job.failedReason !== null && <Block title="Failed reason" testId={ids.failedReason} text={job.failedReason} />}
      {job.data !== null && <Block title="Data" testId={ids.data} text={prettyJson(job.data)} />}
      {job.opts !== null && <Block title="Options" testId={ids.opts} text={prettyJson(job.opts)} />}
      {job.returnValue !== null && (
        <Block title="Return value" testId={ids.returnValue} text={prettyJson(job.returnValue)} />
      )}
      {job.stacktrace.length > 0 && (
        <Block title="Stack trace" testId={ids.stacktrace} text={job.stacktrace.join('\n\n')} />
      )}
      {job.logs.length > 0 && <Block title="Logs" testId={ids.logs} text={job.logs.join('\n')} />}
    </>
  );
}

/** A titled `<pre>`: its one child is a string, which React renders as a text node. */
function Block({ title, testId, text }: { title: string; testId: string; text: string }) {
  const s = useStyles2(getStyles);
  return (
    <section className={s.block}>
      <h4 className={s.title}>{title}</h4>
      <pre className={s.pre} data-testid={testId}>
        {text}
      </pre>
    </section>
  );
}

function attempts(job: InspectedJobView): string | null {
  if (job.attemptsMade === null) {
    return null;
  }
  // BullMQ reports 0 allowed attempts for a job added without `attempts`: it means one.
  return job.maxAttempts === null || job.maxAttempts === 0
    ? String(job.attemptsMade)
    : `${job.attemptsMade} of ${job.maxAttempts}`;
}

function time(ms: number | null): string | null {
  return isShowableTime(ms) ? formatIsoTime(ms) : null;
}

const getStyles = (theme: GrafanaTheme2) => ({
  body: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), minWidth: 0 }),
  facts: css({
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    gap: theme.spacing(0.5, 2),
    margin: 0,
  }),
  fact: css({ display: 'contents' }),
  term: css({ color: theme.colors.text.secondary }),
  value: css({ margin: 0, minWidth: 0, overflowWrap: 'anywhere', fontFamily: theme.typography.fontFamilyMonospace }),
  notes: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  block: css({ minWidth: 0 }),
  title: css({ marginBottom: theme.spacing(0.5) }),
  // Long values wrap anywhere and a tall one scrolls inside its box: the drawer keeps its width.
  pre: css({
    margin: 0,
    maxHeight: 480,
    overflow: 'auto',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    wordBreak: 'break-all',
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
