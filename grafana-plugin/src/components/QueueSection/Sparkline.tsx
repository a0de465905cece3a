import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { testIds } from '../testIds';
import { scaleOf, sparkPath, type SparkBox } from './sparkGeometry';

/** One line of a sparkline. */
export interface SparkLine {
  values: ReadonlyArray<number | null>;
  color: string;
}

/** Props of {@link Sparkline}. */
export interface SparklineProps {
  /** The points' times, epoch ms, increasing. */
  t: readonly number[];
  /** One or more lines over `t`, scaled together from zero. */
  lines: readonly SparkLine[];
  resolutionMs: number;
  /** What assistive technology reads instead of the picture, e.g. `waiting: 12 → 40 over 1 h`. */
  summary: string;
  /** Which measure it draws, for tests and styles. */
  kind: string;
  box?: SparkBox;
  /** Its test id; the queue section's by default. */
  testId?: string;
}

const BOX: SparkBox = { width: 96, height: 24 };

/** A small inline SVG of recent values; the path holds numbers only. */
export function Sparkline({
  t,
  lines,
  resolutionMs,
  summary,
  kind,
  box = BOX,
  testId = testIds.queueSection.sparkline,
}: SparklineProps) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const scale = scaleOf(
    t,
    lines.map((line) => line.values),
    resolutionMs
  );
  return (
    <svg
      className={s.svg}
      role="img"
      aria-label={summary}
      width={box.width}
      height={box.height}
      viewBox={`0 0 ${box.width} ${box.height}`}
      data-testid={testId}
      data-kind={kind}
      data-points={t.length}
    >
      <title>{summary}</title>
      <line
        x1={0}
        x2={box.width}
        y1={box.height - 0.5}
        y2={box.height - 0.5}
        stroke={theme.colors.border.medium}
        strokeWidth={1}
      />
      {lines.map((line, index) => (
        <path
          key={index}
          d={sparkPath(t, line.values, scale, box)}
          fill="none"
          stroke={line.color}
          strokeWidth={1.5}
          strokeLinejoin="round"
          strokeLinecap="round"
        />
      ))}
    </svg>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  svg: css({ display: 'block', overflow: 'visible', color: theme.colors.text.secondary }),
});
