/** Registers the metric table on a Meter, observing the agent's latest heartbeat at each collection. */
import type { Meter, Observable } from '@opentelemetry/api';
import type { Heartbeat } from '../schema';
import { NODE_METRICS, pointsOf } from './metric-table';

/** Removes the callback so the provider stops observing a stopped agent. */
export type Unregister = () => void;

export function registerNodeInstruments(
  meter: Meter,
  latest: () => Heartbeat | undefined,
): Unregister {
  const observables: Array<[(typeof NODE_METRICS)[number], Observable]> = NODE_METRICS.map(
    (metric) => {
      const options = { unit: metric.unit, description: metric.description };
      const instrument =
        metric.kind === 'gauge'
          ? meter.createObservableGauge(metric.name, options)
          : meter.createObservableUpDownCounter(metric.name, options);
      return [metric, instrument];
    },
  );
  const callback = (result: { observe(o: Observable, v: number, a?: object): void }) => {
    const heartbeat = latest();
    if (!heartbeat) return;
    for (const [metric, instrument] of observables) {
      for (const point of pointsOf(metric, heartbeat)) {
        result.observe(instrument, point.value, point.attributes);
      }
    }
  };
  const instruments = observables.map(([, instrument]) => instrument);
  meter.addBatchObservableCallback(callback, instruments);
  return () => meter.removeBatchObservableCallback(callback, instruments);
}
