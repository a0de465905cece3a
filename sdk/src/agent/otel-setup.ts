/**
 * The agent's OpenTelemetry wiring: which MeterProvider records the node's readings, and the
 * private OTLP provider the agent owns when `otel.exportOtlp` is on.
 */
import { metrics } from '@opentelemetry/api';
import type { MeterProvider as SdkMeterProvider } from '@opentelemetry/sdk-metrics';
import type { NodeIdentity } from '../heartbeat/identity';
import type { ResolvedOptions } from '../options/resolve';
import type { QuasarLogger } from '../options/types';
import { registerNodeInstruments } from '../otel/instruments';
import { registerJobInstruments } from '../otel/job-instruments';
import type { JobSource } from '../otel/job-instruments';
import type { Unregister } from '../otel/instruments';
import { createOtlpMeterProvider, otlpEndpointConfigured } from '../otel/otlp-provider';
import type { NodeDescription } from '../otel/resource-attributes';
import type { Heartbeat } from '../schema';
import { SDK_NAME, SDK_VERSION } from '../version';

/** What the agent keeps from its OTel setup, to flush and release in `stop()`. */
export interface OtelSetup {
  /** Whether this node exports its own OTel metrics (the heartbeat's `otel.selfExport`). */
  selfExport: boolean;
  /** The provider the agent created (and must shut down), if any. */
  ownProvider?: SdkMeterProvider;
  unregister?: Unregister;
}

/** The node as an OTel resource describes it. */
export function describeNode(identity: NodeIdentity): NodeDescription {
  const { service, nodeId, hostname, pid, runtime, platform } = identity;
  return {
    service,
    id: nodeId,
    hostname,
    pid,
    language: runtime.language,
    version: runtime.version,
    platform,
  };
}

/** Registers the node's instruments on the configured, private or global provider. */
export function setUpOtel(
  config: ResolvedOptions,
  identity: NodeIdentity,
  logger: QuasarLogger,
  latest: () => Heartbeat | undefined,
  jobs?: JobSource,
): OtelSetup {
  const otel = config.otel;
  if (!otel.enabled) return { selfExport: otel.selfExport ?? false };
  let provider = otel.meterProvider;
  let ownProvider: SdkMeterProvider | undefined;
  if (!provider && otel.exportOtlp) {
    if (otlpEndpointConfigured(process.env)) {
      ownProvider = createOtlpMeterProvider(describeNode(identity), config.intervalMs);
      provider = ownProvider;
    } else {
      logger.info(
        'otel.exportOtlp is on but OTEL_EXPORTER_OTLP_ENDPOINT is not set; not exporting',
      );
    }
  }
  const meter = (provider ?? metrics.getMeterProvider()).getMeter(SDK_NAME, SDK_VERSION);
  const unregisterNode = registerNodeInstruments(meter, latest);
  const unregisterJobs = jobs ? registerJobInstruments(meter, jobs) : undefined;
  const unregister = () => {
    unregisterNode();
    unregisterJobs?.();
  };
  return { selfExport: otel.selfExport ?? provider !== undefined, ownProvider, unregister };
}
