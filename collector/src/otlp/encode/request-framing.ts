/**
 * How an OTLP export request is assembled from its resources. Every OTLP request is one
 * repeated field of resources (`resource_metrics = 1`, `resource_logs = 1`): in protobuf the
 * request is the plain concatenation of each resource's field, in JSON it is
 * `{"resourceMetrics":[…]}` with commas between them. So a request of any subset of a batch's
 * resources is these bytes around the same per-resource encodings, which is what lets the
 * splitter cut a cycle into requests without encoding anything twice.
 */
import type { ByteWriter } from './byte-writer';

/** The framing of one signal in one encoding, and the writer of one resource. */
export interface RequestFraming<T, W extends ByteWriter = ByteWriter> {
  /** Bytes before the first resource (JSON `{"resourceMetrics":[`; none in protobuf). */
  readonly open: Uint8Array;
  /** Bytes between two resources (JSON `,`; none in protobuf). */
  readonly separator: Uint8Array;
  /** Bytes after the last resource (JSON `]}`; none in protobuf). */
  readonly close: Uint8Array;
  /** A writer for one request, over `reuse` when it is large enough. */
  createWriter(capacity: number, reuse?: Buffer): W;
  /**
   * Writes one resource with everything under it, and returns its weight: the data points or
   * log records it carries (what is counted as lost when its request fails).
   */
  write(writer: W, item: T): number;
}
