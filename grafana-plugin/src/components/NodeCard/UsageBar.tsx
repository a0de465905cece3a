import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { type UsageLevel } from './types';

/** Props of {@link UsageBar}. */
export interface UsageBarProps {
  /** What the bar measures, for assistive technology: `Process CPU`. */
  label: string;
  /** The figure in percent; may exceed 100 (the bar stops at full, the caption shows the number). */
  percent: number | null;
  /** The text under the label, units stated: `143.5% of one core`. */
  caption: string;
  level: UsageLevel;
  testId: string;
}

/** One horizontal bar on a 0–100% scale, coloured by its level from the theme. */
export function UsageBar({ label, percent, caption, level, testId }: UsageBarProps) {
  const s = useStyles2(getStyles);
  const filled = percent === null ? 0 : Math.min(Math.max(percent, 0), 100);
  const capped = percent !== null && percent > 100;
  return (
    <div className={s.row} data-testid={testId}>
      <div className={s.text}>
        <span className={s.label}>{label}</span>
        <span className={s.caption}>{caption}</span>
      </div>
      <div
        className={s.track}
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(filled * 10) / 10}
        aria-valuetext={caption}
        data-level={level}
        data-capped={capped ? 'true' : undefined}
      >
        <div className={`${s.fill} ${s[level]}`} style={{ width: `${filled}%` }} />
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.25) }),
  text: css({
    display: 'flex',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  label: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
  caption: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }),
  track: css({
    height: theme.spacing(0.75),
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.background.secondary,
    overflow: 'hidden',
  }),
  fill: css({ height: '100%', borderRadius: theme.shape.radius.pill }),
  ok: css({ background: theme.colors.success.main }),
  warning: css({ background: theme.colors.warning.main }),
  critical: css({ background: theme.colors.error.main }),
});
