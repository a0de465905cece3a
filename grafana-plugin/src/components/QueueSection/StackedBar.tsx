import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { QueueCount } from '../../pulse/queue';
import { testIds } from '../testIds';

/** Props of {@link StackedBar}. */
export interface StackedBarProps {
  counts: QueueCount[];
  /** The queue's name, for assistive technology. */
  label: string;
}

/** The theme colour of a state; states beyond the four primary ones take the palette in turn. */
export function stateColor(theme: GrafanaTheme2, state: string, index: number): string {
  switch (state) {
    case 'waiting':
      return theme.colors.info.main;
    case 'active':
      return theme.colors.success.main;
    case 'delayed':
      return theme.colors.warning.main;
    case 'failed':
      return theme.colors.error.main;
    default: {
      const palette = theme.visualization.palette;
      return theme.visualization.getColorByName(palette[(index + 4) % palette.length]);
    }
  }
}

/** One bar split by state, each part as wide as its share of all jobs. */
export function StackedBar({ counts, label }: StackedBarProps) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const total = counts.reduce((sum, c) => sum + Math.max(c.count, 0), 0);
  const summary = counts.map((c) => `${c.state} ${c.count}`).join(', ');
  return (
    <div
      className={s.track}
      role="img"
      aria-label={`${label}: ${summary || 'no counts'}`}
      data-testid={testIds.queueSection.bar}
    >
      {total > 0 &&
        counts.map((c, index) =>
          c.count > 0 ? (
            <div
              key={c.state}
              className={s.segment}
              data-testid={testIds.queueSection.barSegment}
              data-state={c.state}
              title={`${c.state}: ${c.count}`}
              style={{ width: `${(c.count / total) * 100}%`, background: stateColor(theme, c.state, index) }}
            />
          ) : null
        )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  track: css({
    display: 'flex',
    height: theme.spacing(1),
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.background.secondary,
    overflow: 'hidden',
  }),
  segment: css({ height: '100%' }),
});
