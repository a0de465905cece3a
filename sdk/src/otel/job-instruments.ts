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
      | ((
          queue: { queue: string; system: string },
          waitMs: number | undefined,
          runMs: number | undefined,
        ) => void)
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
  // One attribute set per queue, not one per attempt.
  const attributesOf = new WeakMap<object, ReturnType<typeof jobAttributes>>();
  jobs.listen((queue, waitMs, runMs) => {
    let attributes = attributesOf.get(queue);
    if (!attributes) attributesOf.set(queue, (attributes = jobAttributes(queue)));
    if (runMs !== undefined) runHistogram.record(runMs / 1000, attributes);
    if (waitMs !== undefined) waitHistogram.record(waitMs / 1000, attributes);
  });
  return () => {
    counter.removeCallback(observe);
    jobs.listen(undefined);
  };
}
