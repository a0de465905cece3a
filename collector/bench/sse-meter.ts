/** An SSE client that only counts: bytes and events after the first one (the snapshot). */
import { request } from 'node:http';

export interface SseMeter {
  /** Resolves when the first event (the snapshot) has arrived, with its size in bytes. */
  readonly first: Promise<number>;
  /** Bytes received after the first event. */
  bytesAfterFirst(): number;
  /** Events received after the first one. */
  eventsAfterFirst(): number;
  close(): void;
}

/**
 * Streams `url` and counts what arrives. Chunks are scanned once each and never joined: a
 * whole-fleet event is megabytes, and a slow reader would be dropped by the server.
 */
export function meter(url: string): SseMeter {
  let total = 0;
  let firstBytes = -1;
  let inEvent = false;
  let previous = '';
  let events = 0;
  let resolveFirst: (bytes: number) => void = () => undefined;
  let rejectFirst: (error: Error) => void = () => undefined;
  const first = new Promise<number>((resolve, reject) => {
    resolveFirst = resolve;
    rejectFirst = reject;
  });
  const req = request(url, (res) => {
    if (res.statusCode !== 200) rejectFirst(new Error(`${url}: HTTP ${res.statusCode}`));
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const bytes = Buffer.byteLength(chunk);
      if (firstBytes >= 0) {
        total += bytes;
        // An event starts each `event:` line; one split across chunks is counted by its tail.
        events += (previous.slice(-1) + chunk).split('\nevent: ').length - 1;
        previous = chunk;
        return;
      }
      // Before the first event ends: find its blank line, looking one character back.
      const text = previous.slice(-1) + chunk;
      if (!inEvent && text.includes('event: ')) inEvent = true;
      const end = inEvent ? text.indexOf('\n\n', Math.max(0, text.indexOf('event: '))) : -1;
      if (end < 0) {
        total += bytes;
        previous = chunk;
        return;
      }
      const rest = text.slice(end + 2);
      firstBytes = total + bytes - Buffer.byteLength(rest);
      total = Buffer.byteLength(rest);
      // The first event just ended, so what follows starts a line.
      previous = `\n${rest}`;
      events += previous.split('\nevent: ').length - 1;
      resolveFirst(firstBytes);
    });
  });
  req.on('error', (error) => rejectFirst(error));
  req.on('close', () => rejectFirst(new Error(`${url}: closed before its first event`)));
  req.end();
  return {
    first,
    bytesAfterFirst: () => (firstBytes < 0 ? 0 : total),
    eventsAfterFirst: () => events,
    close: () => req.destroy(),
  };
}
