/**
 * The probe table: every queue system `monitorQueue()` can read, by type, as the driver table
 * (`drivers/table.ts`) declares them.
 */
import { QUEUE_DRIVERS } from './drivers/table';
import type { ProbeType } from './types';

/** Every probe type, keyed by its `monitorQueue()` type name. */
export const PROBE_TYPES: ReadonlyMap<string, ProbeType> = new Map(
  QUEUE_DRIVERS.map((driver) => [driver.type, driver.probe]),
);

/** The type names, for error messages and docs. */
export const QUEUE_TYPES: readonly string[] = [...PROBE_TYPES.keys()];
