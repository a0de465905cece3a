/**
 * Forwards a request the way Grafana's app proxy does: to the matched route's URL, with the
 * route's headers set server-side (the browser never sees the token), and the user named by the
 * server (`X-Grafana-User`), never by the browser. Only content-negotiation headers of the
 * browser's request are passed on: its cookies, credentials and any `X-Grafana-*` header it made
 * up stay here. Bodies are bounded; responses stream through, so the collector's SSE stream works.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { MAX_PROXY_BODY_BYTES } from './limits';
import { interpolate, targetUrl, type ProxyRoute, type RouteData } from './routes';
import { PROXIED_CSP, SECURITY_HEADER_NAMES } from './security-headers';

/** Request headers passed upstream; the rest (session, identity, hop-by-hop) are dropped. */
const PASSED_REQUEST = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'content-type',
  'if-modified-since',
  'if-none-match',
  'last-event-id',
  'pragma',
  'user-agent',
]);
/** Response headers not passed back: the upstream's session, hop-by-hop, and ours to set. */
const DROPPED_RESPONSE = new Set([
  'set-cookie',
  'connection',
  'keep-alive',
  'transfer-encoding',
  ...SECURITY_HEADER_NAMES,
]);

/** Grafana's JSON error body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The request's body, or undefined (and a 413 sent) when it is larger than the bound. */
function boundedBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      // What is still coming is read and thrown away (the request timeout bounds for how long),
      // and the connection closes after the answer.
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.resume();
      sendJson(
        res,
        413,
        { message: `Request body larger than ${MAX_PROXY_BODY_BYTES} bytes` },
        { connection: 'close' },
      );
      resolve(undefined);
    };
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PROXY_BODY_BYTES) tooLarge();
      else chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!(declared <= MAX_PROXY_BODY_BYTES)) return tooLarge();
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
    // A client gone mid-body: nothing to forward, nobody to answer (after `end`, a no-op).
    req.once('close', () => resolve(undefined));
  });
}

/** Forwards `req` to `route` on behalf of `user` (no `X-Grafana-User` when anonymous). */
export async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  route: ProxyRoute,
  rest: string,
  search: string,
  data: RouteData,
  user: string | undefined,
): Promise<void> {
  const body = await boundedBody(req, res);
  if (body === undefined) return;
  const target = targetUrl(route, rest, search, data);
  const headers: Record<string, string | string[]> = Object.create(null) as Record<
    string,
    string | string[]
  >;
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && PASSED_REQUEST.has(name)) headers[name] = value;
  }
  if (user !== undefined) headers['x-grafana-user'] = user;
  for (const header of route.headers ?? [])
    headers[header.name.toLowerCase()] = interpolate(header.content, data);
  if (body.length > 0 || (req.method !== 'GET' && req.method !== 'HEAD')) {
    headers['content-length'] = String(body.length);
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(target, { method: req.method, headers }, (reply) => {
    const out: Record<string, string | string[]> = Object.create(null) as Record<
      string,
      string | string[]
    >;
    for (const [name, value] of Object.entries(reply.headers)) {
      if (value !== undefined && !DROPPED_RESPONSE.has(name)) out[name] = value;
    }
    res.setHeader('content-security-policy', PROXIED_CSP);
    res.writeHead(reply.statusCode ?? 502, out);
    res.flushHeaders();
    reply.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) sendJson(res, 502, { message: 'Bad Gateway' });
    else res.destroy();
  });
  // A closed page ends the upstream request too (the SSE stream above all).
  res.on('close', () => upstream.destroy());
  upstream.end(body);
}
