/**
 * Forwards a request the way Grafana's app proxy does: to the matched route's URL, with the
 * route's headers set server-side (the browser never sees the token) and the user's cookies and
 * credentials dropped. Responses stream through, so the collector's SSE stream works.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { interpolate, targetUrl, type ProxyRoute, type RouteData } from './routes';

/** Request headers not passed upstream: the browser's session and hop-by-hop headers. */
const DROPPED_REQUEST = new Set([
  'cookie',
  'authorization',
  'host',
  'connection',
  'keep-alive',
  'upgrade',
  'origin',
  'referer',
]);
/** Response headers not passed back. */
const DROPPED_RESPONSE = new Set(['set-cookie', 'connection', 'keep-alive', 'transfer-encoding']);

/** Grafana's JSON error body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  route: ProxyRoute,
  rest: string,
  search: string,
  data: RouteData,
): void {
  const target = targetUrl(route, rest, search, data);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !DROPPED_REQUEST.has(name)) headers[name] = value;
  }
  for (const header of route.headers ?? [])
    headers[header.name.toLowerCase()] = interpolate(header.content, data);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(target, { method: req.method, headers }, (reply) => {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(reply.headers)) {
      if (value !== undefined && !DROPPED_RESPONSE.has(name)) out[name] = value;
    }
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
  req.pipe(upstream);
}
