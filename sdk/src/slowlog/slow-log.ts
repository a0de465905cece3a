/**
 * The slow log of one agent: validates what the application reports, keeps what crossed its
 * kind's threshold, stamps it with the node, the time and the active trace, and hands it to the
 * writer. Everything here is synchronous and never throws.
 */
import type { SpanContext } from '@opentelemetry/api';
import type { ResolvedSlowLog } from '../options/slow-log';
import type { QuasarLogger } from '../options/types';
import { serviceKeys } from '../schema';
import type { KeyLayout, SlowEntry, SlowKind } from '../schema';
import { readSlowInput } from './read-input';
import { SlowLogWriter } from './slow-log-writer';
import { activeSpanContext, traceIdsOf } from './trace-ids';
import type { SlowLogStats } from './types';

/** Who writes the entries: the stream is per service, each entry names its node. */
export interface SlowLogIdentity {
  service: string;
  nodeId: string;
  /** The layout of the stream's key; `v1` when left out. */
  keyLayout?: KeyLayout;
}

/** One agent's slow log: the recording side, plus the writer that drains it to Redis. */
export class SlowLog {
  /** Exposed for the agent's lifecycle: `start()`, `wake()` and `stop()`. */
  readonly writer: SlowLogWriter;
  private recorded = 0;
  private invalid = 0;

  constructor(
    private readonly settings: ResolvedSlowLog,
    private readonly identity: SlowLogIdentity,
    private readonly logger: QuasarLogger,
  ) {
    this.writer = new SlowLogWriter({
      key: serviceKeys(identity.service, identity.keyLayout ?? 'v1').slowLog,
      maxLen: settings.maxLen,
      bufferSize: settings.bufferSize,
      logger,
    });
  }

  /** The threshold of a kind, ms. */
  thresholdOf(kind: SlowKind): number {
    return kind === 'job' ? this.settings.jobThresholdMs : this.settings.requestThresholdMs;
  }

  /**
   * Records the input when valid and at or above its threshold; returns whether it did.
   * `spanContext` is the span to link to; by default the one active now.
   */
  record(input: unknown, spanContext?: SpanContext): boolean {
    if (!this.settings.enabled) return false;
    try {
      const read = readSlowInput(input);
      if (!read.ok) return this.reject(read.error);
      const { kind, durationMs } = read.value;
      const thresholdMs = this.thresholdOf(kind);
      if (durationMs < thresholdMs) return false;
      // Assigned onto the fresh copy `readSlowInput` made: object spreads here measured ~8×
      // slower, and this runs on the application's request path.
      const entry: SlowEntry = Object.assign(read.value, {
        thresholdMs,
        nodeId: this.identity.nodeId,
        timestamp: Date.now(),
      });
      const ids = traceIdsOf(spanContext ?? activeSpanContext());
      if (ids) {
        entry.traceId = ids.traceId;
        entry.spanId = ids.spanId;
      }
      this.writer.enqueue(entry);
      this.recorded++;
      return true;
    } catch (error) {
      // A throwing getter or proxy in the input: the host app's bug, never its crash.
      return this.reject(error instanceof Error ? error.message : String(error));
    }
  }

  /** A snapshot of the counters. */
  stats(): SlowLogStats {
    return { recorded: this.recorded, ...this.writer.counts(), invalid: this.invalid };
  }

  private reject(reason: string): false {
    this.invalid++;
    if (this.invalid === 1) {
      this.logger.warn(
        `recordSlow() ignored invalid input (${reason}); later invalid calls are only counted ` +
          'in getSlowLogStats().invalid',
      );
    }
    return false;
  }
}
