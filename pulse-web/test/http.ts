/**
 * Plain `node:http` requests for the server tests: unlike `fetch`, they send exactly the `Host`,
 * `Origin` and `Cookie` headers given, as a hostile client would. Also a recording upstream that
 * stands in for the collector, and the sign-in a browser does through the printed URL.
 */
import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PulseWebServer } from '../src/server';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request to `url`; `headers` replace the defaults, `Host` included. */
export function send(
  url: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      // A fresh connection each time: a kept-alive one may belong to a server closed since.
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `name=value` session cookie a browser gets by opening the server's sign-in URL. */
export async function signInCookie(server: PulseWebServer): Promise<string> {
  if (!server.signInUrl) throw new Error('this server has no sign-in URL');
  const reply = await send(server.signInUrl);
  const cookie = reply.headers['set-cookie']?.[0];
  if (reply.status !== 302 || !cookie) throw new Error(`sign-in answered ${reply.status}`);
  return cookie.split(';')[0]!;
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Upstream {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** A loopback server answering `{"ok":true}` (with headers a proxy must not pass back). */
export async function recordingUpstream(): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, {
        'content-type': 'application/json',
        'set-cookie': 'upstream=1',
        'content-security-policy': 'default-src *',
        'x-frame-options': 'ALLOWALL',
      });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
