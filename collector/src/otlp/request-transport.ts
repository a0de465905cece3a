/**
 * The OTel JS exporter machinery (`otlp-exporter-base`) for requests the collector has already
 * encoded: its HTTP transport, retries on 429/502/503/504 and network errors within the
 * timeout, gzip, and the `OTEL_EXPORTER_OTLP_[SIGNAL_]{ENDPOINT,HEADERS,TIMEOUT,COMPRESSION}`
 * variables. The serializer only hands the body over; reading the answer is the stock one.
 */
import type { ExportResult } from '@opentelemetry/core';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import type { OTLPExporterNodeConfigBase } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import type { ISerializer } from '@opentelemetry/otlp-transformer';
import type { OtlpProtocol } from '../config/options';
import type { EncodedRequest } from './request-split';

const CONTENT_TYPES: Record<OtlpProtocol, string> = {
  'http/protobuf': 'application/x-protobuf',
  'http/json': 'application/json',
};

/** The signal a transport sends, as the OTel exporter configuration names it. */
export interface TransportSignal<Response> {
  /** `METRICS` or `LOGS`, for the signal-specific variables. */
  readonly name: 'METRICS' | 'LOGS';
  /** `v1/metrics` or `v1/logs`. */
  readonly path: string;
  /** Name of the exporter in the OTel SDK's own exporter metrics. */
  readonly component: string;
  /** `metric_data_point` or `log`, as the SDK counts items. */
  readonly item: 'metric_data_point' | 'log';
  /** Reads the receiver's answer (partial success) in the request's encoding. */
  readonly readResponse: Record<OtlpProtocol, (body: Uint8Array) => Response>;
}

/** Sends encoded requests, each through the stock retrying transport. */
export class RequestTransport<Response> extends OTLPExporterBase<EncodedRequest> {
  constructor(
    protocol: OtlpProtocol,
    signal: TransportSignal<Response>,
    config: OTLPExporterNodeConfigBase = {},
  ) {
    const serializer: ISerializer<EncodedRequest, Response> = {
      serializeRequest: (request) => request.body,
      deserializeResponse: signal.readResponse[protocol],
    };
    super(
      createOtlpHttpExportDelegate(
        convertLegacyHttpOptions(config, signal.name, signal.path, {
          'Content-Type': CONTENT_TYPES[protocol],
        }),
        serializer,
        signal.component,
        { name: signal.item, countItems: (request) => request.weight },
        undefined,
      ),
    );
  }

  /** Sends one request; resolves with the final result, after retries, never rejects. */
  sendRequest(request: EncodedRequest): Promise<ExportResult> {
    return new Promise<ExportResult>((resolve) => {
      try {
        this.export(request, resolve);
      } catch (error) {
        resolve({ code: 1, error: error as Error });
      }
    });
  }
}
