/**
 * Throughput reads are extras beside a probe's counts: one Redis refuses (an ACL written before
 * the probe read them, say) resolves to its error, so that it costs the rates and never the
 * counts.
 */

/** `read`, resolving to its error instead of rejecting. */
export function softRead(read: Promise<unknown>): Promise<unknown> {
  return read.catch((error: unknown) =>
    error instanceof Error ? error : new Error(String(error)),
  );
}
