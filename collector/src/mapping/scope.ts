/** The instrumentation scope of metrics only the bridge produces (queues, slow durations). */
import type { Scope } from '../otlp/metric-batch';
import { COLLECTOR_VERSION } from '../version';

export const COLLECTOR_SCOPE: Scope = {
  name: '@gravito/quasar-collector',
  version: COLLECTOR_VERSION,
};
