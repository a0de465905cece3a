/**
 * The in-process job metrics on a Meter, for a node that exports its own: the outcome counts
 * are observed from the same counts the heartbeat carries; the two histograms are recorded as
 * attempts are counted from then on (the API has no way to observe a histogram).
 */
import type { Meter, ObservableResult } from '@opentelemetry/api';
import type { JobStats } from '../schema';
import type { Unregister } from './instruments';
import {
  JOB_DURATION_BOUNDS_S,
  JOB_METRICS,
  JOB_OUTCOMES,
  jobAttributes,
  outcomeAttributes,
} from './job-metrics';

/** Where the job counts come from: the agent's recorder. */
export interface JobSource {
  snapshot(): JobStats[];
  listen(
    listener:
      | ((record: { queue: string; system: string; waitMs?: number; runMs?: number }) => void)
      | undefined,
  ): void;
}

export function registerJobInstruments(meter: Meter, jobs: JobSource): Unregister {
  const { processed, run, wait } = JOB_METRICS;
  const counter = meter.createObservableCounter(processed.name, {
    unit: processed.unit,
    description: processed.description,
  });
  const advice = { explicitBucketBoundaries: [...JOB_DURATION_BOUNDS_S] };
  const runHistogram = meter.createHistogram(run.name, {
    unit: run.unit,
    description: run.description,
    advice,
  });
  const waitHistogram = meter.createHistogram(wait.name, {
    unit: wait.unit,
    description: wait.description,
    advice,
  });
  const observe = (result: ObservableResult) => {
    for (const stats of jobs.snapshot()) {
      for (const outcome of JOB_OUTCOMES) {
        result.observe(stats[outcome], outcomeAttributes(stats, outcome));
      }
    }
  };
  counter.addCallback(observe);
  jobs.listen((record) => {
    const attributes = jobAttributes(record);
    if (record.runMs !== undefined) runHistogram.record(record.runMs / 1000, attributes);
    if (record.waitMs !== undefined) waitHistogram.record(record.waitMs / 1000, attributes);
  });
  return () => {
    counter.removeCallback(observe);
    jobs.listen(undefined);
  };
}
