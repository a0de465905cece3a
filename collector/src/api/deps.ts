/** What the HTTP layer needs from the running collector. */
import type { RedisClient } from '@gravito/quasar';
import type { Readiness } from '../cycle/cycle-health';
import type { PulseState } from '../cycle/pulse-state';
import type { CollectorStats } from '../self/stats';

export interface ApiDeps {
  state: PulseState;
  /** For reads the snapshot does not hold (slow log) and for `/readyz`. */
  redis: RedisClient;
  stats(): Promise<CollectorStats>;
  /** Whether the cycle loop is healthy, for `/readyz`. */
  readiness(): Readiness;
}

export interface ApiConfig {
  /** Required on `/api/*` unless `noAuth`. */
  apiToken: string | undefined;
  noAuth: boolean;
}
