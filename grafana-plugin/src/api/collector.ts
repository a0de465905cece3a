/**
 * The collector as the browser reaches it: always through the app's proxy route, so Grafana's
 * server adds the API token and enforces the route's role.
 */
import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { PROXY_BASE_URL } from '../constants';
import { isRecord } from './read';

/** Query string values; `undefined` and empty strings are left out. */
export type QueryParams = Record<string, string | number | undefined>;

/** A failed collector call, with the message a user can act on. */
export class CollectorError extends Error {
  constructor(
    message: string,
    /** HTTP status from Grafana's proxy or the collector, when there was a response. */
    readonly status?: number,
    /** The collector's stable error code (`QUASAR_*`), when it answered with one. */
    readonly code?: string
  ) {
    super(message);
    this.name = 'CollectorError';
  }
}

/** GETs a collector path (e.g. `api/pulse/nodes`) through the proxy route. */
export async function collectorGet(path: string, params: QueryParams = {}): Promise<unknown> {
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<unknown>({
        url: `${PROXY_BASE_URL}/${path}`,
        method: 'GET',
        params: definedParams(params),
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
    return response.data;
  } catch (error) {
    throw toCollectorError(path, error);
  }
}

/**
 * POSTs a JSON body to a collector path (e.g. `api/pulse/command/retry`) through its proxy route,
 * which admits only users holding the route's RBAC action.
 */
export async function collectorPost(path: string, body: unknown): Promise<unknown> {
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<unknown>({
        url: `${PROXY_BASE_URL}/${path}`,
        method: 'POST',
        data: body,
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
    return response.data;
  } catch (error) {
    throw toCollectorError(path, error);
  }
}

function definedParams(params: QueryParams): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      out[key] = value;
    }
  }
  return out;
}

/** Turns a proxy or collector failure into one message, preferring the collector's own words. */
export function toCollectorError(path: string, error: unknown): CollectorError {
  if (!isFetchError(error)) {
    return new CollectorError(error instanceof Error ? error.message : String(error));
  }
  const { status, data } = error;
  const collector = isRecord(data) && isRecord(data.error) ? data.error : undefined;
  if (collector && typeof collector.message === 'string') {
    const code = typeof collector.code === 'string' ? collector.code : undefined;
    const hint = status === 401 ? ': check the API token in the app configuration' : '';
    return new CollectorError(`${collector.message}${hint} (${code ?? status})`, status, code);
  }
  // No collector body: Grafana's proxy answered itself (collector down, URL unset, role denied).
  const grafanaMessage = isRecord(data) && typeof data.message === 'string' ? data.message : '';
  if (status === 403) {
    return new CollectorError(`Your Grafana role may not call ${path}`, status);
  }
  if (status === 502 || status === 504 || status === 0 || status === undefined) {
    const detail = grafanaMessage || error.statusText || 'no response';
    return new CollectorError(`Collector unreachable (${detail})`, status);
  }
  const detail = grafanaMessage || error.statusText || 'request failed';
  return new CollectorError(`${path}: HTTP ${status} ${detail}`, status);
}

/** The outcome of a connection check. */
export interface ConnectionCheck {
  ok: boolean;
  message: string;
}

/**
 * Checks the saved settings end to end: `/readyz` proves the collector and its Redis answer,
 * and one authenticated read proves the proxy's token is accepted.
 */
export async function checkCollector(): Promise<ConnectionCheck> {
  try {
    const ready = await collectorGet('readyz');
    await collectorGet('api/pulse/audit', { limit: 1 });
    const cycled = isRecord(ready) && ready.cycled === true;
    return {
      ok: true,
      message: cycled
        ? 'Collector ready: Redis reachable and API token accepted.'
        : 'Collector reachable and API token accepted; it has not finished its first read of Redis yet.',
    };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
