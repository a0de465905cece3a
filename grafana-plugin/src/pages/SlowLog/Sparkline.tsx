import React from 'react';
import { useTheme2 } from '@grafana/ui';
import { Sparkline as Line } from '../../components/QueueSection/Sparkline';
import { testIds } from '../../components/testIds';

const MINUTE_MS = 60_000;
const BOX = { width: 120, height: 24 };

interface Props {
  /** Entries per minute, oldest first. */
  counts: readonly number[];
  /** What the line stands for, read out by screen readers and shown on hover. */
  label: string;
}

/**
 * A group's last hour as a line of entries per minute, drawn by the queue section's sparkline:
 * the path is built from numbers alone, so nothing from the collector is ever parsed as markup.
 */
export function Sparkline({ counts, label }: Props) {
  const theme = useTheme2();
  const t = counts.map((_, i) => i * MINUTE_MS);
  return (
    <Line
      t={t}
      lines={[{ values: counts, color: theme.colors.primary.main }]}
      resolutionMs={MINUTE_MS}
      summary={label}
      kind="slow"
      box={BOX}
      testId={testIds.slowLog.sparkline}
    />
  );
}

/** What a sparkline says in words: the total and the busiest minute. */
export function sparklineLabel(counts: readonly number[]): string {
  const total = counts.reduce((sum, n) => sum + n, 0);
  const peak = Math.max(0, ...counts);
  return `${total} in the last ${counts.length} minutes, at most ${peak} a minute`;
}
