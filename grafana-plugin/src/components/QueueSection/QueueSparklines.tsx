import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { QueueHistory } from '../../pulse/queueHistory';
import { testIds } from '../testIds';
import { useHistoryResolution, useQueueHistory } from './QueueHistoryContext';
import { Sparkline } from './Sparkline';
import { formatValue, summarise } from './sparkGeometry';

/** Props of {@link QueueSparklines}. */
export interface QueueSparklinesProps {
  service: string;
  queue: string;
}

/** Used until the collector's reply says its step. */
const DEFAULT_RESOLUTION_MS = 10_000;

/** What the failure-rate summary adds about where the rate came from. */
const BASIS_NOTE = {
  throughput: '',
  'failed-count': ' (from increases of the failed count: failed jobs removed meanwhile are not counted)',
  mixed: ' (partly from increases of the failed count, which miss failed jobs removed meanwhile)',
} as const;

const hasValue = (values: ReadonlyArray<number | null>) => values.some((v) => v !== null);

/** The newest value of a line, as the caption shows it; `—` without one. */
function latest(values: ReadonlyArray<number | null>): string {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      return formatValue(v);
    }
  }
  return '—';
}

/**
 * The queue's recent past from the collector's history: waiting jobs, jobs in and out per minute,
 * and failures per minute. Nothing until the page's history store has the queue.
 */
export function QueueSparklines({ service, queue }: QueueSparklinesProps) {
  const history = useQueueHistory(service, queue);
  const resolutionMs = useHistoryResolution(service) ?? DEFAULT_RESOLUTION_MS;
  if (history === undefined || history.t.length === 0) {
    return null;
  }
  return <Figures history={history} resolutionMs={resolutionMs} />;
}

function Figures({ history, resolutionMs }: { history: QueueHistory; resolutionMs: number }) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const { t } = history;
  const flow = hasValue(history.in) || hasValue(history.out);
  const failures = hasValue(history.failureRate);
  return (
    <div className={s.row} data-testid={testIds.queueSection.sparklines}>
      <figure className={s.figure}>
        {/* No newest value here: the live count above is newer than the last step's point. */}
        <figcaption className={s.caption}>waiting</figcaption>
        <Sparkline
          kind="waiting"
          t={t}
          resolutionMs={resolutionMs}
          lines={[{ values: history.waiting, color: theme.colors.info.main }]}
          summary={summarise('waiting', t, history.waiting, resolutionMs)}
        />
      </figure>
      {flow && (
        <figure className={s.figure}>
          <figcaption className={s.caption}>
            <span style={{ color: theme.colors.primary.text }}>in</span>{' '}
            <span className={s.value}>{latest(history.in)}</span> /{' '}
            <span style={{ color: theme.colors.success.text }}>out</span>{' '}
            <span className={s.value}>{latest(history.out)}</span> per min
          </figcaption>
          <Sparkline
            kind="flow"
            t={t}
            resolutionMs={resolutionMs}
            lines={[
              { values: history.in, color: theme.colors.primary.main },
              { values: history.out, color: theme.colors.success.main },
            ]}
            summary={`${summarise('in', t, history.in, resolutionMs, '/min')}; ${summarise('out', t, history.out, resolutionMs, '/min')}`}
          />
        </figure>
      )}
      {failures && (
        <figure className={s.figure}>
          <figcaption className={s.caption}>
            failed per min <span className={s.value}>{latest(history.failureRate)}</span>
          </figcaption>
          <Sparkline
            kind="failure-rate"
            t={t}
            resolutionMs={resolutionMs}
            lines={[{ values: history.failureRate, color: theme.colors.error.main }]}
            summary={`${summarise('failed', t, history.failureRate, resolutionMs, '/min')}${
              history.failureRateFrom === null ? '' : BASIS_NOTE[history.failureRateFrom]
            }`}
          />
        </figure>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1, 2) }),
  figure: css({ margin: 0, display: 'flex', flexDirection: 'column', gap: theme.spacing(0.25) }),
  caption: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  value: css({ color: theme.colors.text.primary, fontVariantNumeric: 'tabular-nums' }),
});
