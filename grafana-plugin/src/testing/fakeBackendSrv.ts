/**
 * A stand-in for Grafana's `BackendSrv.fetch`, answering from a table keyed by URL the way
 * Grafana's proxy would: a reply for a known URL, a fetch error for a failed one.
 */
import { Observable, of, throwError } from 'rxjs';
import type { BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';

/** What the fake answers for one URL. */
export interface FakeReply {
  status: number;
  data: unknown;
  statusText?: string;
}

/** A `fetch` answering `routes[url]`, and 404 for any other URL. */
export function fakeFetch(routes: Record<string, FakeReply>) {
  return jest.fn((options: BackendSrvRequest): Observable<FetchResponse<unknown>> => {
    const reply = routes[options.url] ?? { status: 404, data: { message: 'Not found' }, statusText: 'Not Found' };
    if (reply.status >= 400) {
      const error: FetchError = {
        status: reply.status,
        data: reply.data,
        statusText: reply.statusText,
        config: options,
      };
      return throwError(() => error);
    }
    return of({
      data: reply.data,
      status: reply.status,
      statusText: reply.statusText ?? 'OK',
      ok: true,
      url: options.url,
      redirected: false,
      type: 'basic',
      config: options,
    } as FetchResponse<unknown>);
  });
}

/** The proxy URL of a collector path. */
export const proxied = (path: string) => `api/plugin-proxy/gravito-quasar-app/${path}`;

/** What the collector answers at `/readyz` once it has read Redis. */
export const READY: FakeReply = { status: 200, data: { status: 'ready', redis: 'ok', cycled: true } };

/** The collector's 401 body for a missing or wrong token. */
export const UNAUTHORIZED: FakeReply = {
  status: 401,
  data: { error: { code: 'QUASAR_UNAUTHORIZED', message: 'missing or invalid bearer token' } },
};

/** Grafana's own 502 when the collector does not answer. */
export const BAD_GATEWAY: FakeReply = { status: 502, data: { message: 'Bad Gateway' }, statusText: 'Bad Gateway' };
