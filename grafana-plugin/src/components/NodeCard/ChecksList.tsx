import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { PulseCheck } from '../../pulse/node';
import { testIds } from '../testIds';
import { formatMs } from './format';

/** Props of {@link ChecksList}. */
export interface ChecksListProps {
  checks: PulseCheck[];
  /** Days left on a certificate under which the check shows a warning. */
  certWarningDays: number;
}

/** The latest result of each availability check the node runs. */
export function ChecksList({ checks, certWarningDays }: ChecksListProps) {
  const s = useStyles2(getStyles);
  if (checks.length === 0) {
    return null;
  }
  return (
    <ul className={s.list} data-testid={testIds.nodeCard.checks} aria-label="Availability checks">
      {checks.map((check, index) => (
        <li
          key={`${check.name}-${index}`}
          className={s.item}
          data-testid={testIds.nodeCard.check}
          data-up={check.up ? 'true' : 'false'}
          title={check.target ?? undefined}
        >
          <span className={check.up ? s.up : s.down}>{check.up ? 'up' : 'down'}</span>
          <span className={s.name}>{check.name}</span>
          <span className={s.facts}>
            {[
              check.statusCode !== null ? `HTTP ${check.statusCode}` : null,
              check.latencyMs !== null ? formatMs(check.latencyMs) : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
          {check.certDaysLeft !== null && <CertDays days={check.certDaysLeft} warningDays={certWarningDays} />}
          {!check.up && check.error && <span className={s.error}>{check.error}</span>}
        </li>
      ))}
    </ul>
  );
}

function CertDays({ days, warningDays }: { days: number; warningDays: number }) {
  const s = useStyles2(getStyles);
  const whole = Math.floor(days);
  if (whole >= warningDays) {
    return <span className={s.cert}>cert {whole}d left</span>;
  }
  return (
    <span className={whole <= 0 ? s.certExpired : s.certWarning} data-testid={testIds.nodeCard.certWarning}>
      {whole <= 0 ? 'cert expired' : `cert expires in ${whole}d`}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: theme.spacing(0.25) }),
  item: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(1),
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  up: css({ color: theme.colors.success.text, fontWeight: theme.typography.fontWeightMedium }),
  down: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightBold }),
  name: css({ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0, flex: 1 }),
  facts: css({ color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums' }),
  cert: css({ color: theme.colors.text.secondary }),
  certWarning: css({ color: theme.colors.warning.text }),
  certExpired: css({ color: theme.colors.error.text }),
  error: css({ flexBasis: '100%', color: theme.colors.error.text }),
});
