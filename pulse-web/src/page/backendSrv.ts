/**
 * A STAND-IN for Grafana's `BackendSrv`, which only Grafana's frontend provides. It implements
 * the one method the plugin calls, `fetch`, with the browser's `fetch` against this page's own
 * server, which plays Grafana's app proxy (routes, roles, token) from the plugin's `plugin.json`.
 * Errors take Grafana's `FetchError` shape, so the plugin's error handling runs unchanged.
 */
import { Observable } from 'rxjs';
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';

function urlOf(options: BackendSrvRequest): string {
  const path = options.url.startsWith('/') ? options.url : `/${options.url}`;
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries((options.params ?? {}) as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    // The plugin sends strings and numbers; anything else would need Grafana's own encoding.
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(
        `BackendSrv.fetch: the stand-in sends scalar query parameters only (${name})`,
      );
    }
    query.append(name, String(value));
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** A response, or the `FetchError` Grafana's `fetch` fails with: a plain object, not an `Error`. */
type Outcome<T> = { ok: true; response: FetchResponse<T> } | { ok: false; error: FetchError };

/** One request, as Grafana's `fetch` would make it: JSON in, JSON out. */
async function send<T>(options: BackendSrvRequest, signal: AbortSignal): Promise<Outcome<T>> {
  const hasBody = options.data !== undefined;
  const response = await window.fetch(urlOf(options), {
    method: options.method ?? 'GET',
    headers: {
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      ...(options.headers ?? {}),
    },
    body: hasBody ? JSON.stringify(options.data) : undefined,
    signal,
  });
  const data = (await bodyOf(response)) as T;
  if (!response.ok) {
    const error: FetchError = {
      status: response.status,
      statusText: response.statusText,
      data,
      config: options,
    };
    return { ok: false, error };
  }
  const fetched: FetchResponse<T> = {
    data,
    status: response.status,
    statusText: response.statusText,
    ok: true,
    headers: response.headers,
    url: response.url,
    redirected: response.redirected,
    type: response.type,
    config: options,
  };
  return { ok: true, response: fetched };
}

/** The stand-in; methods other than `fetch` are not used by the plugin and say so if called. */
export function standInBackendSrv(): BackendSrv {
  const fetch = <T>(options: BackendSrvRequest) =>
    new Observable<FetchResponse<T>>((subscriber) => {
      const abort = new AbortController();
      send<T>(options, abort.signal).then(
        (outcome) => {
          if (outcome.ok) {
            subscriber.next(outcome.response);
            subscriber.complete();
          } else {
            subscriber.error(outcome.error);
          }
        },
        (error: unknown) => subscriber.error(error),
      );
      return () => abort.abort();
    });
  const implemented: Partial<BackendSrv> = { fetch };
  return new Proxy(implemented, {
    get(target, name) {
      if (name in target) {
        return target[name as keyof BackendSrv];
      }
      return () => {
        throw new Error(`BackendSrv.${String(name)} is not part of the standalone page's stand-in`);
      };
    },
  }) as BackendSrv;
}
