/**
 * Times every request of a `node:http` (or `node:https`) server, from its 'request' event to
 * the response's 'finish', or 'close' when the client went away first. Listens only: the
 * server's own handlers and their order are untouched, and nothing here throws into them.
 */
import type { SpanContext } from '@opentelemetry/api';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { QuasarConfigError } from '../options/errors';
import type { QuasarLogger } from '../options/types';
import { cleanRoute, defaultRouteOf } from './request-name';
import { activeSpanContext } from './trace-ids';
import type { HttpTimingOptions, SlowRecordInput } from './types';

/** A server whose 'request' events can be timed. */
export type TimedServer = Server | HttpsServer;

/** nginx's "client closed request": the client left before the response finished. */
export const CLIENT_CLOSED_REQUEST = 499;

/** What the timing needs from the agent. */
export interface HttpTimingHooks {
  /** Requests faster than this are not looked at further, ms. */
  thresholdMs: number;
  /** Records one slow request, linked to the span that was active when it arrived. */
  record(input: SlowRecordInput, spanContext: SpanContext | undefined): void;
  /** Told, once, when `routeOf` throws; such requests are named by their path instead. */
  logger: QuasarLogger;
}

/** Rejects arguments that cannot work, at setup time rather than on the first request. */
export function checkHttpTimingArgs(server: unknown, options: HttpTimingOptions): void {
  if (typeof (server as { on?: unknown } | null)?.on !== 'function') {
    throw new QuasarConfigError('server', 'Invalid argument "server": expected an http.Server');
  }
  if (options.routeOf !== undefined && typeof options.routeOf !== 'function') {
    throw new QuasarConfigError('routeOf', 'Invalid option "routeOf": expected a function');
  }
}

/** Starts timing the server's requests; returns a function that stops (idempotent). */
export function timeHttpServer(
  server: TimedServer,
  options: HttpTimingOptions,
  hooks: HttpTimingHooks,
): () => void {
  let attached = true;
  let routeErrorLogged = false;

  const finished = (
    req: IncomingMessage,
    res: ServerResponse,
    startedAt: bigint,
    spanContext: SpanContext | undefined,
  ) => {
    const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    // Most requests are fast: leave before any string work.
    if (!attached || durationMs < hooks.thresholdMs) return;
    const method = req.method ?? 'GET';
    const route = routeOf(req, res);
    hooks.record(
      {
        kind: 'request',
        name: `${method} ${route ?? defaultRouteOf(req.url)}`,
        durationMs: Math.round(durationMs * 1000) / 1000,
        method,
        ...(route === undefined ? {} : { route }),
        status: res.writableFinished ? res.statusCode : CLIENT_CLOSED_REQUEST,
      },
      spanContext,
    );
  };

  const routeOf = (req: IncomingMessage, res: ServerResponse): string | undefined => {
    if (!options.routeOf) return undefined;
    try {
      const route: unknown = options.routeOf(req, res);
      return typeof route === 'string' && route !== '' ? cleanRoute(route) : undefined;
    } catch (error) {
      if (!routeErrorLogged) {
        routeErrorLogged = true;
        hooks.logger.warn(`routeOf() threw (${String(error)}); naming requests by their path`);
      }
      return undefined;
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    try {
      const startedAt = process.hrtime.bigint();
      // The request's span is active while 'request' is emitted, not when the response ends.
      const spanContext = activeSpanContext();
      let done = false;
      const onEnd = () => {
        if (done) return;
        done = true;
        res.off('finish', onEnd);
        res.off('close', onEnd);
        try {
          finished(req, res, startedAt, spanContext);
        } catch {
          // Timing is best effort; the response has already gone out.
        }
      };
      res.on('finish', onEnd);
      res.on('close', onEnd);
    } catch {
      // Never let the instrumentation break request handling.
    }
  };

  // First among the listeners: the app's handler (registered by createServer) would otherwise
  // run, synchronous work included, before the clock starts.
  server.prependListener('request', onRequest);
  return () => {
    if (!attached) return;
    attached = false;
    server.off('request', onRequest);
  };
}
