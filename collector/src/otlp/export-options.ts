/** Options shared by the metrics and logs exporters: how an export is cut and sent. */
import { COLLECTOR_DEFAULTS } from '../config/options';
import type { ExportLogger } from './export-health';

/**
 * Requests in flight at once per export: encoding overlaps the receiver's decoding. Through a
 * real OTel Collector, 10,000 nodes in 4 MiB requests took 652 ms a cycle at 3 against
 * 1,160 ms one at a time (docs/benchmarks.md); each more holds another request body.
 */
export const DEFAULT_EXPORT_CONCURRENCY = 3;

export interface RequestExportOptions {
  /**
   * Largest request body, uncompressed, bytes (receivers apply their limit after gzip).
   * @default 4194304 (`COLLECTOR_DEFAULTS.maxExportBytes`)
   */
  readonly maxRequestBytes?: number;
  /**
   * Requests in flight at once; request bodies held are at most this many times
   * `maxRequestBytes`.
   * @default 3
   */
  readonly concurrency?: number;
  /** Where outages, recoveries and halvings are logged. @default silent */
  readonly logger?: ExportLogger;
}

/** The options with their defaults, validated. */
export function resolveExportOptions(
  options: RequestExportOptions,
): Required<Omit<RequestExportOptions, 'logger'>> & Pick<RequestExportOptions, 'logger'> {
  const maxRequestBytes = options.maxRequestBytes ?? COLLECTOR_DEFAULTS.maxExportBytes;
  const concurrency = options.concurrency ?? DEFAULT_EXPORT_CONCURRENCY;
  if (!Number.isInteger(maxRequestBytes) || maxRequestBytes < 1) {
    throw new RangeError(`maxRequestBytes must be a positive integer, got ${maxRequestBytes}`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  return { maxRequestBytes, concurrency, logger: options.logger };
}
