/** The active OpenTelemetry span, as the `traceId`/`spanId` fields of a slow entry. */
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';

/** The span context active right now, if any; cheap enough to call on every request. */
export function activeSpanContext(): SpanContext | undefined {
  return trace.getSpan(context.active())?.spanContext();
}

/** The ids of a span context; none for an absent or invalid one (all-zero ids, no-op tracer). */
export function traceIdsOf(
  spanContext: SpanContext | undefined,
): { traceId: string; spanId: string } | undefined {
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
