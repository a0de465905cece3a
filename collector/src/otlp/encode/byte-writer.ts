/**
 * A growable byte buffer with a cursor, shared by the protobuf and JSON encoders. Both write
 * one request of tens of megabytes, so the point is to write bytes in place: no intermediate
 * strings, no chunk lists, one allocation when the caller's size estimate holds.
 */
export class ByteWriter {
  /** Next write position; also the number of bytes written so far. */
  pos = 0;
  protected buf: Buffer;
  protected view: DataView;

  /**
   * @param initialCapacity - bytes to allocate up front; the buffer doubles when full.
   * @param reuse - a buffer from an earlier request that is no longer in use, written over
   *   instead of allocating when it is large enough.
   */
  constructor(initialCapacity = 64 * 1024, reuse?: Buffer) {
    const capacity = Math.max(64, Math.ceil(initialCapacity));
    // allocUnsafeSlow: never a slice of Node's shared pool, and no zero-fill of bytes we overwrite.
    this.buf = reuse && reuse.length >= capacity ? reuse : Buffer.allocUnsafeSlow(capacity);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** The whole underlying buffer (the last one, if it grew), for reuse by a later request. */
  get buffer(): Buffer {
    return this.buf;
  }

  /** Makes room for `bytes` more bytes. */
  ensure(bytes: number): void {
    const needed = this.pos + bytes;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  /** The bytes written so far, as a view on the writer's buffer (no copy). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** A compact copy of the bytes written so far, for caching: it pins no larger buffer. */
  toBytes(): Uint8Array {
    return new Uint8Array(this.buf.subarray(0, this.pos));
  }

  /** A compact copy of the bytes from `start` to the cursor. */
  bytesFrom(start: number): Uint8Array {
    return new Uint8Array(this.buf.subarray(start, this.pos));
  }

  /** Writes one byte. */
  byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  /** Copies pre-encoded bytes (cached tags, fields, JSON fragments). */
  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    this.ensure(n);
    const buf = this.buf;
    // For a handful of bytes a loop beats the fixed cost of a native copy.
    if (n < 16) {
      let pos = this.pos;
      for (let i = 0; i < n; i++) buf[pos++] = bytes[i] as number;
      this.pos = pos;
      return;
    }
    buf.set(bytes, this.pos);
    this.pos += n;
  }

  /** Writes text known to be ASCII (digits, number formatting): one byte per character. */
  ascii(text: string): void {
    const n = text.length;
    this.ensure(n);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) buf[pos++] = text.charCodeAt(i);
    this.pos = pos;
  }

  /** Writes text as UTF-8 and returns the number of bytes written. */
  utf8(text: string): number {
    this.ensure(text.length * 3);
    const written = this.buf.write(text, this.pos, 'utf8');
    this.pos += written;
    return written;
  }
}
