import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';

const WIDTH = 120;
const HEIGHT = 24;

interface Props {
  /** Entries per minute, oldest first. */
  counts: readonly number[];
  /** What the line stands for, read out by screen readers and shown on hover. */
  label: string;
}

/**
 * A group's last hour as a line of entries per minute, drawn as SVG: every value is a number in
 * a React attribute, so nothing from the collector is ever parsed as markup.
 */
export function Sparkline({ counts, label }: Props) {
  const s = useStyles2(getStyles);
  const peak = Math.max(1, ...counts);
  const step = counts.length > 1 ? WIDTH / (counts.length - 1) : 0;
  const points = counts
    .map((count, i) => `${(i * step).toFixed(1)},${(HEIGHT - 1 - (count / peak) * (HEIGHT - 2)).toFixed(1)}`)
    .join(' ');
  return (
    <svg
      className={s.svg}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={label}
      data-testid={testIds.slowLog.sparkline}
      data-points={counts.length}
    >
      <title>{label}</title>
      {counts.length > 0 && <polyline className={s.line} points={points} fill="none" />}
    </svg>
  );
}

/** What a sparkline says in words: the total and the busiest minute. */
export function sparklineLabel(counts: readonly number[]): string {
  const total = counts.reduce((sum, n) => sum + n, 0);
  const peak = Math.max(0, ...counts);
  return `${total} in the last ${counts.length} minutes, at most ${peak} a minute`;
}

const getStyles = (theme: GrafanaTheme2) => ({
  svg: css({ display: 'block', overflow: 'visible' }),
  line: css({ stroke: theme.colors.primary.main, strokeWidth: 1.5 }),
});
