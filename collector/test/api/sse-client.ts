/** A raw SSE client for the stream tests: it keeps every complete event it receives. */
import { request } from 'node:http';
import type { ClientRequest } from 'node:http';
import { bearer } from './pulse-fixture';

/** One SSE client: every complete event it received so far, and the bytes. */
export interface StreamClient {
  events: Array<{ event?: string; id?: string; data?: string }>;
  req: ClientRequest;
  statusCode: Promise<number>;
  /** Bytes received, headers excluded. */
  bytes: () => number;
}

/** Opens `path` (the stream, with any query) on a local port. */
export function connect(port: number, path = '/api/pulse/stream'): StreamClient {
  const events: StreamClient['events'] = [];
  let buffer = '';
  let bytes = 0;
  let resolveStatus: (code: number) => void = () => undefined;
  const statusCode = new Promise<number>((resolve) => (resolveStatus = resolve));
  const req = request({ host: '127.0.0.1', port, path, headers: bearer }, (res) => {
    resolveStatus(res.statusCode ?? 0);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      bytes += Buffer.byteLength(chunk);
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: StreamClient['events'][number] = {};
        for (const line of block.split('\n')) {
          const colon = line.indexOf(': ');
          if (colon > 0)
            event[line.slice(0, colon) as 'event' | 'id' | 'data'] = line.slice(colon + 2);
        }
        if (event.event) events.push(event);
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { events, req, statusCode, bytes: () => bytes };
}
