/**
 * What became of one OTLP request, once the exporter machinery stopped retrying it. The
 * otlp-exporter-base transport retries 429, 502, 503, 504 and network errors within its
 * timeout; what it hands back here is final.
 */
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPExporterError } from '@opentelemetry/otlp-exporter-base';
import { describeError } from '../util/describe-error';

/** Outcomes of a request, as `quasar_collector_export_requests_total` labels them. */
export const REQUEST_OUTCOMES = ['success', 'rejected', 'failed', 'too_large'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

/** A request's outcome, with the HTTP status and error when it did not succeed. */
export interface ClassifiedResult {
  outcome: RequestOutcome;
  status?: number;
  error?: string;
}

/**
 * How receivers word a body over their limit: the OTel Collector answers 400 with Go's
 * "http: request body too large" (its limit holds after gzip decompression too), gRPC
 * gateways speak of the "message size", others say "too big" or "payload too large".
 */
const TOO_LARGE_TEXT = /too large|too big|message size|exceeds? (?:the )?(?:max|limit)/i;

/**
 * - `success`: a 2xx answer.
 * - `too_large`: 413, or a 400 whose body or status text says the request was too large.
 * - `rejected`: any other HTTP error the exporter does not retry (a 400 for bad data, 401, …).
 * - `failed`: no answer to go by: network errors, timeouts, retryable statuses past the timeout.
 */
export function classifyResult(result: ExportResult): ClassifiedResult {
  if (result.code === ExportResultCode.SUCCESS) return { outcome: 'success' };
  const error = result.error;
  const description = describeError(error ?? 'export failed');
  if (error instanceof OTLPExporterError && error.code !== undefined) {
    const status = error.code;
    const tooLarge =
      status === 413 ||
      (status === 400 && TOO_LARGE_TEXT.test(`${error.message} ${error.data ?? ''}`));
    return { outcome: tooLarge ? 'too_large' : 'rejected', status, error: description };
  }
  return { outcome: 'failed', error: description };
}
