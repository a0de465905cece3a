/**
 * The same job traffic counted the prom-client way, the reference at equal work: per job a
 * labelled counter increment and two histogram observations over the same bounds, rendered by
 * the scrape with the default metrics.
 */
import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { JOB_DURATION_BOUNDS_S } from '../src/otel/job-metrics';

export interface PromClientJobs {
  /** Counts one interval's share of jobs, in the mix `JobTraffic` delivers. */
  deliver(): void;
}

export function createPromClientJobs(register: Registry, perTick: number): PromClientJobs {
  const buckets = [...JOB_DURATION_BOUNDS_S];
  const processed = new Counter({
    name: 'jobs_processed_total',
    help: 'Jobs by outcome.',
    labelNames: ['queue', 'outcome'],
    registers: [register],
  });
  const run = new Histogram({
    name: 'job_run_seconds',
    help: 'Run time.',
    labelNames: ['queue'],
    buckets,
    registers: [register],
  });
  const wait = new Histogram({
    name: 'job_wait_seconds',
    help: 'Wait time.',
    labelNames: ['queue'],
    buckets,
    registers: [register],
  });
  const runS = [0.002, 0.008, 0.02, 0.04, 0.09, 0.2, 0.4, 0.9, 2, 4, 9, 20];
  return {
    deliver() {
      for (let i = 0; i < perTick; i++) {
        const which = i % 50;
        const outcome = which === 0 ? 'retried' : which < 5 ? 'failed' : 'completed';
        processed.inc({ queue: 'emails', outcome });
        run.observe({ queue: 'emails' }, runS[i % runS.length] as number);
        wait.observe({ queue: 'emails' }, 0.05);
      }
    },
  };
}
