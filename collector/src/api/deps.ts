/** What the HTTP layer needs from the running collector. */
import type { RedisClient } from '@gravito/quasar';
import type { ApiTokenSpec } from '../auth/principal';
import type { Readiness } from '../cycle/cycle-health';
import type { PulseState } from '../cycle/pulse-state';
import type { CollectorStats } from '../self/stats';
import type { SlowGroups } from '../slowlog/groups/slow-groups';

export interface ApiDeps {
  state: PulseState;
  /** For reads the snapshot does not hold (slow log) and for `/readyz`. */
  redis: RedisClient;
  stats(): Promise<CollectorStats>;
  /** Whether the cycle loop is healthy, for `/readyz`. */
  readiness(): Readiness;
  /**
   * The slow log grouped by name, of the services this replica consumes, and the replica's
   * name; absent when the slow-log consumer does not run (logs not exported).
   */
  slowGroups?: { groups: SlowGroups; replica: string };
}

export interface ApiConfig {
  /** The legacy token (`api-token`); `/api/*` needs it or a named token unless `noAuth`. */
  apiToken: string | undefined;
  /** Named tokens, each with its scopes. @default [] */
  apiTokens?: readonly ApiTokenSpec[];
  noAuth: boolean;
}
