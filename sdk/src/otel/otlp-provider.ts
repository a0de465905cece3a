/**
 * The one-line OTLP opt-in: a private MeterProvider (never the global one) exporting over
 * OTLP/HTTP, with the node as its resource. The exporter reads the standard
 * `OTEL_EXPORTER_OTLP_*` variables itself (endpoint, headers, timeout, temporality).
 */
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { NodeDescription } from './resource-attributes';
import { resourceAttributesOf } from './resource-attributes';

type Env = Record<string, string | undefined>;

/** True when the environment names an OTLP endpoint for metrics. */
export function otlpEndpointConfigured(env: Env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT);
}

/** Creates the provider; `exportIntervalMs` follows the beat interval so each beat is exported once. */
export function createOtlpMeterProvider(
  node: NodeDescription,
  exportIntervalMs: number,
): MeterProvider {
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes(resourceAttributesOf(node)));
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter(),
    exportIntervalMillis: exportIntervalMs,
    exportTimeoutMillis: Math.min(exportIntervalMs, 30_000),
  });
  return new MeterProvider({ resource, readers: [reader] });
}
