/**
 * A request written byte for byte on a socket: what Node's HTTP client refuses to send (a
 * header repeated, non-ASCII bytes in a header) reaches the server as a hostile client sends it.
 */
import { connect } from 'node:net';

/** The status and body of a raw request's reply. */
export interface RawReply {
  statusCode: number;
  body: string;
}

/** Sends `GET path` (or `method`) with `headers` as raw lines, each a [name, value bytes] pair. */
export function rawRequest(
  port: number,
  path: string,
  headers: ReadonlyArray<readonly [string, Buffer | string]>,
  method = 'GET',
  body = '',
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no reply within 5 s')));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({
        statusCode: status ? Number(status[1]) : 0,
        body: text.split('\r\n\r\n')[1] ?? '',
      });
    });
    const lines: Buffer[] = [Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: localhost\r\n`)];
    for (const [name, value] of headers) {
      lines.push(Buffer.from(`${name}: `), Buffer.from(value), Buffer.from('\r\n'));
    }
    const payload = Buffer.from(body);
    if (method !== 'GET') {
      lines.push(
        Buffer.from(`content-type: application/json\r\ncontent-length: ${payload.length}\r\n`),
      );
    }
    lines.push(Buffer.from('connection: close\r\n\r\n'), payload);
    // Not `end()`: a half-closed client may lose a reply that waits on Redis. The server closes
    // the connection once it has answered (`connection: close`).
    socket.write(Buffer.concat(lines));
  });
}
