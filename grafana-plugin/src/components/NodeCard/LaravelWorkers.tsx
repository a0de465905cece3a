import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { LaravelInfo } from '../../pulse/node';
import { testIds } from '../testIds';
import { formatBytes, formatPercent } from './format';

/** Props of {@link LaravelWorkers}. */
export interface LaravelWorkersProps {
  laravel: LaravelInfo;
}

/** The Laravel queue workers the Go agent found on the host, as the original card listed them. */
export function LaravelWorkers({ laravel }: LaravelWorkersProps) {
  const s = useStyles2(getStyles);
  return (
    <section className={s.box} data-testid={testIds.nodeCard.laravel} aria-label="Laravel workers">
      <div className={s.title}>
        Laravel workers <span className={s.count}>{laravel.workerCount}</span>
      </div>
      {laravel.roots.length > 0 && (
        <div className={s.roots} title="Application roots">
          {laravel.roots.join(', ')}
        </div>
      )}
      {laravel.workers.length > 0 && (
        <table className={s.table}>
          <thead>
            <tr>
              <th>PID</th>
              <th>Memory</th>
              <th title="% of one core">CPU</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {laravel.workers.map((worker, index) => (
              <tr
                key={worker.pid ?? `w${index}`}
                data-testid={testIds.nodeCard.laravelWorker}
                title={worker.cmdline ?? undefined}
              >
                <td>{worker.pid ?? '—'}</td>
                <td>{formatBytes(worker.memoryBytes)}</td>
                <td>{formatPercent(worker.cpuPercent)}</td>
                <td>{worker.status ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0.75, 1),
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  title: css({ fontWeight: theme.typography.fontWeightMedium }),
  count: css({ color: theme.colors.text.secondary, marginLeft: theme.spacing(0.5) }),
  roots: css({ color: theme.colors.text.secondary, wordBreak: 'break-all' }),
  table: css({
    width: '100%',
    marginTop: theme.spacing(0.5),
    fontVariantNumeric: 'tabular-nums',
    'th, td': { textAlign: 'left', padding: theme.spacing(0, 1, 0, 0) },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular },
  }),
});
