/**
 * The geometry and words of a sparkline, pure: an SVG path built from numbers alone (never from
 * text a reply carried) and the summary assistive technology reads instead of the picture.
 */

/** The box a sparkline is drawn in, px. */
export interface SparkBox {
  width: number;
  height: number;
}

/** The time span and value ceiling shared by the lines of one sparkline. */
export interface SparkScale {
  t0: number;
  t1: number;
  max: number;
  /** Points further apart than this are not joined: the queue was not seen in between. */
  gapMs: number;
}

/** The scale of lines over the times `t`: from the first point to the last, from zero to the largest value. */
export function scaleOf(
  t: readonly number[],
  lines: ReadonlyArray<ReadonlyArray<number | null>>,
  resolutionMs: number
): SparkScale {
  let max = 0;
  for (const values of lines) {
    for (const v of values) {
      if (v !== null && v > max) {
        max = v;
      }
    }
  }
  return { t0: t[0] ?? 0, t1: t[t.length - 1] ?? 0, max, gapMs: 2 * resolutionMs };
}

/** A coordinate with one decimal, as a number: the path holds nothing else. */
function coordinate(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * The path of one line: `M x y L x y …`, a new `M` after a gap (a missing value, or points more
 * than `gapMs` apart). A point alone in its run is drawn as a short dash so it shows.
 */
export function sparkPath(
  t: readonly number[],
  values: ReadonlyArray<number | null>,
  scale: SparkScale,
  box: SparkBox
): string {
  const span = scale.t1 - scale.t0;
  const x = (ms: number) => (span > 0 ? ((ms - scale.t0) / span) * box.width : box.width);
  // One pixel of headroom keeps a flat line at the top or bottom visible.
  const y = (v: number) => box.height - 1 - (scale.max > 0 ? (v / scale.max) * (box.height - 2) : 0);
  const runs: Array<Array<[number, number]>> = [];
  let run: Array<[number, number]> | undefined;
  let previousT = -Infinity;
  for (let i = 0; i < t.length; i++) {
    const v = values[i] ?? null;
    const ms = t[i]!;
    if (v === null || !Number.isFinite(v)) {
      run = undefined;
      continue;
    }
    if (run === undefined || ms - previousT > scale.gapMs) {
      runs.push((run = []));
    }
    run.push([x(ms), y(v)]);
    previousT = ms;
  }
  return runs
    .map((points) => {
      const drawn: Array<[number, number]> =
        points.length === 1
          ? [
              [Math.max(0, points[0]![0] - 2), points[0]![1]],
              [Math.min(box.width, points[0]![0] + 2), points[0]![1]],
            ]
          : points;
      return drawn.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${coordinate(px)} ${coordinate(py)}`).join('');
    })
    .join('');
}

/** A value as the summary reads it: counts whole, rates to one decimal. */
export function formatValue(value: number): string {
  return Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : (Math.round(value * 10) / 10).toLocaleString('en-US');
}

/** A span of time as the summary reads it: `40 s`, `15 min`, `1 h`, `1.5 h`. */
export function formatSpan(ms: number): string {
  if (ms < 60_000) {
    return `${Math.round(ms / 1000)} s`;
  }
  if (ms < 3_600_000) {
    return `${Math.round(ms / 60_000)} min`;
  }
  return `${Math.round(ms / 360_000) / 10} h`;
}

/**
 * `waiting: 12 → 40 over 1 h`: the first and last values of a line and the time they span (one
 * step counted per point); `waiting: no data` without any.
 */
export function summarise(
  name: string,
  t: readonly number[],
  values: ReadonlyArray<number | null>,
  resolutionMs: number,
  unit = ''
): string {
  let first: number | undefined;
  let last: number | undefined;
  for (let i = 0; i < t.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      continue;
    }
    first ??= i;
    last = i;
  }
  if (first === undefined || last === undefined) {
    return `${name}: no data`;
  }
  const span = t[last]! - t[first]! + resolutionMs;
  return `${name}: ${formatValue(values[first]!)} → ${formatValue(values[last]!)}${unit} over ${formatSpan(span)}`;
}
