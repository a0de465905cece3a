/** The slow log's public types: what `recordSlow()` takes, what it reports, how HTTP is timed. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlowKind } from '../schema';

/** One finished request or job, as the application reports it to `QuasarAgent.recordSlow()`. */
export interface SlowRecordInput {
  /** `request` or `job`; selects the threshold. */
  kind: SlowKind;
  /**
   * What was slow, with bounded cardinality: `GET /users/:id` or a job's name, never ids or
   * user data. Cut to 512 characters.
   */
  name: string;
  /** How long it took, ms; finite and ≥ 0. */
  durationMs: number;
  /** HTTP method, for requests. */
  method?: string;
  /** The route template (`/users/:id`), for requests. */
  route?: string;
  /** HTTP status code, for requests; an integer. */
  status?: number;
  /** The queue, for jobs. */
  queue?: string;
}

/** Counters of the slow log since the agent was created; `recorded = written + dropped + pending`. */
export interface SlowLogStats {
  /** Entries at or above their threshold, accepted by `recordSlow()`. */
  readonly recorded: number;
  /** Entries Redis acknowledged. */
  readonly written: number;
  /** Entries lost: pushed out of a full buffer, or still unwritten when `stop()` gave up. */
  readonly dropped: number;
  /** Entries waiting in memory (including a batch being written). */
  readonly pending: number;
  /** Calls to `recordSlow()` with input that failed validation; nothing was recorded. */
  readonly invalid: number;
}

/** Options of `QuasarAgent.instrumentHttpServer()`. */
export interface HttpTimingOptions {
  /**
   * The route template of a request, e.g. `/users/:id`, read when the response has finished (so
   * a router has matched it by then). Its value becomes the entry's `route` and its name
   * `{method} {route}`. Returning undefined, or throwing, falls back to the default.
   * @default none: no `route` field, and the name uses the request path without its query
   * string, with numeric, UUID and long hex segments collapsed to `:id`
   */
  routeOf?: (req: IncomingMessage, res: ServerResponse) => string | undefined;
}
