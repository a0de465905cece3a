import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, useStyles2, type BadgeColor } from '@grafana/ui';
import { lookup } from '../../api/read';
import { testIds } from '../../components/testIds';
import type { AuditRow } from './auditRows';

/** Each command state's badge colour; Grafana's theme gives the colour its shade. */
export const OUTCOME_COLORS: Record<string, BadgeColor> = {
  succeeded: 'green',
  failed: 'red',
  rejected: 'orange',
  pending: 'blue',
  expired: 'darkgrey',
};

/** A command's outcome: its state, how many jobs it touched, and why it did not run. */
export function OutcomeCell({ row }: { row: AuditRow }) {
  const s = useStyles2(getStyles);
  const status = row.outcome ?? 'unknown';
  return (
    <span className={s.cell} data-testid={testIds.audit.outcome}>
      <Badge text={status} color={lookup(OUTCOME_COLORS, status) ?? 'darkgrey'} />
      {row.affected !== null && (status === 'succeeded' || row.affected > 0) && (
        <span>
          {row.affected} {row.affected === 1 ? 'job' : 'jobs'}
        </span>
      )}
      {row.reason && <span className={s.reason}>{row.reason}</span>}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  cell: css({
    display: 'inline-flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  }),
  reason: css({
    color: theme.colors.text.secondary,
  }),
});
