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
