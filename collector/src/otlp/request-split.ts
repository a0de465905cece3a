/**
 * Cuts one export (a cycle's resources, or a batch of log records grouped by resource) into
 * OTLP requests of at most `limit` bytes, encoding each resource once, as the sender pulls the
 * next request. A resource is never split across two requests; one that is larger than the
 * limit on its own goes alone, marked oversized, instead of holding up the others.
 */
import type { RequestFraming } from './encode';
import type { ByteWriter } from './encode/byte-writer';

/** One encoded request and where each of its resources sits in it. */
export interface EncodedRequest {
  /** The request body, uncompressed. */
  readonly body: Uint8Array;
  /** Per resource, three numbers: start and end offsets in `body`, and its weight. */
  readonly spans: readonly number[];
  /** Points or records in the request (the sum of the resources' weights). */
  readonly weight: number;
  /** A single resource larger than the limit, sent alone. */
  readonly oversized: boolean;
  /** The buffer under `body`, to hand back to the pool once the request is done. */
  readonly buffer: Buffer | undefined;
}

/** Number of resources in a request. */
export const resourceCount = (request: EncodedRequest): number => request.spans.length / 3;

/** Room left over the limit in a fresh buffer: the resource that crosses it is written first. */
const HEADROOM = 64 * 1024;

/**
 * Request buffers handed from finished requests to new ones, so a cycle of many requests does
 * not allocate megabytes of external memory per request (which V8 answers with full GCs).
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  /** @param size - buffers kept at most; the sender's concurrency. */
  constructor(private readonly size: number) {}

  take(): Buffer | undefined {
    return this.free.pop();
  }

  give(buffer: Buffer | undefined): void {
    if (buffer !== undefined && this.free.length < this.size) this.free.push(buffer);
  }
}

/** The size limit of one export's requests; the sender lowers it on a "too large" answer. */
export interface RequestLimit {
  bytes: number;
}

/**
 * Encodes `items` into requests. Lazy: a request is encoded when the caller asks for it, so
 * only the requests the caller still holds are in memory, never the whole export.
 *
 * @param limit - read before each cut, so lowering it applies to the requests not yet made.
 * @param sizeHint - the expected bytes of the whole export, to size small exports' buffers.
 */
export function* splitRequests<T, W extends ByteWriter>(
  framing: RequestFraming<T, W>,
  items: Iterable<T>,
  limit: RequestLimit,
  pool?: BufferPool,
  sizeHint = Number.POSITIVE_INFINITY,
): Generator<EncodedRequest> {
  const { open, separator, close } = framing;
  const fresh = (): W => {
    const writer = framing.createWriter(Math.min(limit.bytes, sizeHint) + HEADROOM, pool?.take());
    writer.raw(open);
    return writer;
  };
  let writer: W | undefined;
  let spans: number[] = [];
  let weight = 0;
  const finish = (oversized: boolean): EncodedRequest => {
    const done = writer as W;
    done.raw(close);
    const request = { body: done.finish(), spans, weight, oversized, buffer: done.buffer };
    writer = undefined;
    spans = [];
    weight = 0;
    return request;
  };
  for (const item of items) {
    writer ??= fresh();
    const before = writer.pos;
    if (spans.length > 0) writer.raw(separator);
    const start = writer.pos;
    const itemWeight = framing.write(writer, item);
    const end = writer.pos;
    if (spans.length > 0 && end + close.length > limit.bytes) {
      // This resource crosses the limit: the request ends before it, and it starts the next.
      const carried = writer.bytesFrom(start);
      writer.pos = before;
      yield finish(false);
      writer = fresh();
      const carriedStart = writer.pos;
      writer.raw(carried);
      spans.push(carriedStart, writer.pos, itemWeight);
    } else {
      spans.push(start, end, itemWeight);
    }
    weight += itemWeight;
    if (spans.length === 3 && writer.pos + close.length > limit.bytes) yield finish(true);
  }
  if (writer !== undefined && spans.length > 0) yield finish(false);
}

/**
 * Splits a request in two by its resources (the first half by bytes, at least one resource in
 * each), for a receiver that refused it as too large. The halves are new requests with the
 * same framing; the original's buffer stays the caller's.
 */
export function halveRequest<T, W extends ByteWriter>(
  framing: RequestFraming<T, W>,
  request: EncodedRequest,
): [EncodedRequest, EncodedRequest] {
  const { spans } = request;
  const count = spans.length / 3;
  if (count < 2) throw new RangeError('a request of one resource cannot be halved');
  const first = spans[0] as number;
  const middle = first + ((spans[spans.length - 2] as number) - first) / 2;
  let cut = 1;
  while (cut < count - 1 && (spans[cut * 3 + 1] as number) <= middle) cut++;
  return [sliceRequest(framing, request, 0, cut), sliceRequest(framing, request, cut, count)];
}

/** The resources `from` to `to` (exclusive) of a request, as a request of their own. */
function sliceRequest<T, W extends ByteWriter>(
  framing: RequestFraming<T, W>,
  request: EncodedRequest,
  from: number,
  to: number,
): EncodedRequest {
  const { spans, body } = request;
  const start = spans[from * 3] as number;
  const end = spans[to * 3 - 2] as number;
  const writer = framing.createWriter(framing.open.length + end - start + framing.close.length);
  writer.raw(framing.open);
  const shift = writer.pos - start;
  writer.raw(body.subarray(start, end));
  writer.raw(framing.close);
  const sliced: number[] = [];
  let weight = 0;
  for (let i = from * 3; i < to * 3; i += 3) {
    sliced.push(
      (spans[i] as number) + shift,
      (spans[i + 1] as number) + shift,
      spans[i + 2] as number,
    );
    weight += spans[i + 2] as number;
  }
  return { body: writer.finish(), spans: sliced, weight, oversized: false, buffer: undefined };
}
