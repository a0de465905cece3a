/** An SSE client that only counts: bytes and events after the first one (the snapshot). */
import { request } from 'node:http';
import type { ClientRequest } from 'node:http';

export interface SseMeter {
  /** Resolves when the first event (the snapshot) has arrived, with its size in bytes. */
  readonly first: Promise<number>;
  /** Bytes received after the first event. */
  bytesAfterFirst(): number;
  /** Events received after the first one. */
  eventsAfterFirst(): number;
  close(): void;
}

/** Streams `url` and counts what arrives. */
export function meter(url: string): SseMeter {
  let buffer = '';
  let total = 0;
  let firstBytes = -1;
  let events = 0;
  let resolveFirst: (bytes: number) => void = () => undefined;
  let rejectFirst: (error: Error) => void = () => undefined;
  const first = new Promise<number>((resolve, reject) => {
    resolveFirst = resolve;
    rejectFirst = reject;
  });
  const req: ClientRequest = request(url, (res) => {
    if (res.statusCode !== 200) rejectFirst(new Error(`${url}: HTTP ${res.statusCode}`));
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      total += Buffer.byteLength(chunk);
      if (firstBytes >= 0) {
        events += chunk.split('\nevent: ').length - 1 + (chunk.startsWith('event: ') ? 1 : 0);
        return;
      }
      buffer += chunk;
      const end = buffer.indexOf('\n\n', buffer.indexOf('event: '));
      if (buffer.includes('event: ') && end >= 0) {
        firstBytes = Buffer.byteLength(buffer.slice(0, end + 2));
        total = Buffer.byteLength(buffer.slice(end + 2));
        buffer = '';
        resolveFirst(firstBytes);
      }
    });
  });
  req.on('error', (error) => rejectFirst(error));
  req.end();
  return {
    first,
    bytesAfterFirst: () => (firstBytes < 0 ? 0 : total),
    eventsAfterFirst: () => events,
    close: () => req.destroy(),
  };
}
