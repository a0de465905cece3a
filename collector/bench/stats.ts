/** Small statistics for benchmarks: medians of repeated runs. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** Peak resident set size of this process so far, MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** A positive integer from the environment variable `name`, or `fallback` when unset. */
export function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}
