/**
 * The lease TTL's default and bounds. They hold together the replicas' failover bound: a dead
 * replica's services move once its leases lapse and a cycle of another replica takes them, so
 * TTL + one cycle must stay under one export interval; and a lease is renewed once a cycle, so
 * the TTL must leave room for a cycle's own time on top of the interval.
 */
import { CollectorConfigError } from './errors';
import type { CollectorConfig } from './options';

/** The default TTL, in cycles: `--refresh-interval` × 3 (6 s at the defaults). */
export const LEASE_TTL_CYCLES = 3;
/** The shortest TTL, in cycles. */
export const MIN_LEASE_TTL_CYCLES = 2;

const TTL = '--lease-ttl / QUASAR_LEASE_TTL';

/** The default lease TTL for a refresh interval. */
export function defaultLeaseTtlMs(cycleIntervalMs: number): number {
  return LEASE_TTL_CYCLES * cycleIntervalMs;
}

/**
 * Rejects a lease TTL that breaks the failover bound, naming the settings. Applies only when
 * the collector exports metrics in a loop: without metrics it takes no leases, and `--once`
 * renews none.
 * @param explicit whether the TTL was set, rather than taken from the refresh interval.
 */
export function checkLeaseTtl(
  config: Pick<
    CollectorConfig,
    'leaseTtlMs' | 'cycleIntervalMs' | 'exportIntervalMs' | 'exportMetrics' | 'once'
  >,
  explicit: boolean,
): void {
  if (!config.exportMetrics || config.once) return;
  const { leaseTtlMs: ttl, cycleIntervalMs: cycle, exportIntervalMs: exportMs } = config;
  const what = explicit
    ? `${ttl} ms`
    : `${ttl} ms (the default, ${LEASE_TTL_CYCLES} × --refresh-interval)`;
  const fits = `from ${MIN_LEASE_TTL_CYCLES * cycle} ms to under ${exportMs - cycle} ms`;
  const possible = exportMs - cycle > MIN_LEASE_TTL_CYCLES * cycle;
  const remedy = possible
    ? `set --lease-ttl ${fits}, or lengthen --export-interval`
    : `lengthen --export-interval to over ${(MIN_LEASE_TTL_CYCLES + 1) * cycle} ms (${MIN_LEASE_TTL_CYCLES + 1} × --refresh-interval), or shorten --refresh-interval`;
  if (ttl < MIN_LEASE_TTL_CYCLES * cycle) {
    throw new CollectorConfigError(
      TTL,
      `${what} is under ${MIN_LEASE_TTL_CYCLES} × --refresh-interval (${cycle} ms): leases are renewed once a cycle and would lapse between renewals; ${remedy}`,
    );
  }
  if (ttl + cycle >= exportMs) {
    throw new CollectorConfigError(
      TTL,
      `${what} + --refresh-interval (${cycle} ms) must be under --export-interval (${exportMs} ms), so a dead replica's services move within one export interval; ${remedy}`,
    );
  }
}
