/**
 * Logs a signal's export failures once per outage, not once per request or per export: the
 * first export that loses anything writes one line; later ones are only counted (they show in
 * `/metrics`) until an export delivers everything again, which writes one recovery line with
 * what the outage cost. Modelled on the cycle loop's `CycleHealth`.
 */
import type { ExportReport, HalvingEvent } from './request-sender';

/** Where export problems are reported: the collector's logger. */
export interface ExportLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything, for exporters built without one. */
export const SILENT_EXPORT_LOGGER: ExportLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export class ExportHealth {
  private failing = false;
  private failedExports = 0;
  private lostResources = 0;
  private lostItems = 0;
  private oversizedLogged = false;

  /**
   * @param signal - `metrics` or `logs`, named in every line.
   * @param itemName - what `lostItems` counts: `points` or `records`.
   */
  constructor(
    private readonly logger: ExportLogger,
    private readonly signal: 'metrics' | 'logs',
    private readonly itemName: 'points' | 'records',
  ) {}

  /** Records one export's report; logs the start or the end of an outage. */
  exported(report: ExportReport): void {
    if (report.oversized > 0 && !this.oversizedLogged) {
      // Once per process: the count goes on in quasar_collector_export_oversized_total.
      this.oversizedLogged = true;
      this.logger.warn(
        { signal: this.signal, oversized: report.oversized, limitBytes: report.limitBytes },
        `${this.signal} export: a resource is larger than --max-export-bytes on its own; each such resource is sent alone (further ones are only counted)`,
      );
    }
    if (report.ok) {
      if (this.failing) {
        this.logger.info(
          {
            signal: this.signal,
            failedExports: this.failedExports,
            lostResources: this.lostResources,
            [`lost${capitalized(this.itemName)}`]: this.lostItems,
          },
          `${this.signal} export recovered`,
        );
      }
      this.failing = false;
      this.failedExports = 0;
      this.lostResources = 0;
      this.lostItems = 0;
      return;
    }
    this.failedExports++;
    this.lostResources += report.lostResources;
    this.lostItems += report.lostItems;
    if (this.failing) return;
    this.failing = true;
    const failure = report.firstFailure;
    this.logger.error(
      {
        signal: this.signal,
        err: failure?.error,
        status: failure?.status,
        outcome: failure?.outcome,
        requests: report.requests,
        lostResources: report.lostResources,
        [`lost${capitalized(this.itemName)}`]: report.lostItems,
        next: 'further failures are counted in /metrics until an export delivers everything',
      },
      // Stable text: the first line of an outage; later ones wait for the recovery line.
      `${this.signal} export failed`,
    );
  }

  /** A "too large" answer halved the request size for the rest of an export. */
  halved(event: HalvingEvent): void {
    this.logger.warn(
      {
        signal: this.signal,
        status: event.status,
        refusedBytes: event.bytes,
        limitBytes: event.limitBytes,
      },
      `${this.signal} request refused as too large; halving the request size for the rest of this export (lower --max-export-bytes to match the receiver)`,
    );
  }
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
