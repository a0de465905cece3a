/**
 * A local OTLP/HTTP endpoint for tests, standing in for a backend: it accepts what an exporter
 * (ours, the OTel JS one or the collector's `otlp_http`) posts to `/v1/logs` and `/v1/metrics`,
 * keeps every request, and can simulate an outage by refusing them.
 */
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';

export const OTLP_PATHS = { logs: '/v1/logs', metrics: '/v1/metrics' } as const;
export type OtlpSignal = keyof typeof OTLP_PATHS;

export interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}

export interface OtlpAttribute {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpResource {
  attributes?: OtlpAttribute[];
}

export interface OtlpLogRecord {
  timeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpAttribute[];
}

/** The parts of an OTLP JSON logs request the tests look at. */
export interface OtlpLogsRequest {
  resourceLogs: Array<{
    resource?: OtlpResource;
    scopeLogs?: Array<{ scope?: { name?: string }; logRecords?: OtlpLogRecord[] }>;
  }>;
}

/** One log record with the resource it came with. */
export interface ReceivedLogRecord {
  resource: Record<string, unknown>;
  scope: string | undefined;
  record: OtlpLogRecord;
}

export interface ReceivedRequest {
  signal: OtlpSignal;
  contentType: string;
  /** The body after `content-encoding` was undone; protobuf stays raw here. */
  body: Buffer;
  /** The parsed body for `application/json`, undefined otherwise. Unvalidated. */
  json: unknown;
  /** When the request's body had arrived, epoch ms (`Date.now()`). */
  receivedAt: number;
}

export interface OtlpReceiver {
  /** Base URL, e.g. `http://127.0.0.1:4318`. */
  readonly endpoint: string;
  readonly logsUrl: string;
  readonly metricsUrl: string;
  /** Requests answered with 200, in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  /** Requests refused while failing. */
  readonly rejected: readonly ReceivedRequest[];
  /**
   * Removes and returns the requests accepted so far, for a test that follows a long run
   * without holding every body.
   */
  take(): ReceivedRequest[];
  /** Log records of every accepted JSON logs request, flattened. */
  logRecords(): ReceivedLogRecord[];
  /** Refuses every request with `status` until `recover()`. */
  failWith(status?: number): void;
  recover(): void;
  /**
   * Resolves with the first value `check` returns other than undefined/false/null, checking now
   * and after every request; rejects after `timeoutMs`.
   */
  waitFor<T>(
    check: (receiver: OtlpReceiver) => T | undefined | false | null,
    timeoutMs?: number,
  ): Promise<T>;
  close(): Promise<void>;
}

/** `key → value` of OTLP attributes. */
export function attributeMap(attributes: OtlpAttribute[] = []): Record<string, unknown> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, anyValue(value)]));
}

/** The JS value of an OTLP `AnyValue` (scalars only). */
export function anyValue(value: OtlpAnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.doubleValue ?? value.boolValue;
}

function isLogsRequest(json: unknown): json is OtlpLogsRequest {
  return (
    typeof json === 'object' &&
    json !== null &&
    Array.isArray((json as { resourceLogs?: unknown }).resourceLogs)
  );
}

function decode(req: IncomingMessage, raw: Buffer): Buffer {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'gzip') return gunzipSync(raw);
  if (encoding === 'deflate') return inflateSync(raw);
  return raw;
}

function signalOf(url: string | undefined): OtlpSignal | undefined {
  const path = (url ?? '').split('?')[0];
  return (Object.keys(OTLP_PATHS) as OtlpSignal[]).find((s) => OTLP_PATHS[s] === path);
}

export interface OtlpReceiverOptions {
  /** Answers each request this much later, like a busy receiver. @default 0 */
  readonly responseDelayMs?: number;
}

/** Starts the receiver on a free loopback port. */
export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  const rejected: ReceivedRequest[] = [];
  const listeners = new Set<() => void>();
  let failStatus: number | undefined;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const signal = signalOf(req.url);
      if (req.method !== 'POST' || !signal) {
        res.writeHead(404).end();
        return;
      }
      const contentType = String(req.headers['content-type'] ?? '');
      const receivedAt = Date.now();
      let request: ReceivedRequest;
      try {
        const body = decode(req, Buffer.concat(chunks));
        const isJson = contentType.includes('json');
        request = {
          signal,
          contentType,
          body,
          json: isJson ? JSON.parse(body.toString()) : undefined,
          receivedAt,
        };
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
        return;
      }
      if (failStatus !== undefined) {
        rejected.push(request);
        res.writeHead(failStatus, { 'content-type': 'text/plain' }).end('simulated outage');
      } else {
        requests.push(request);
        // An empty JSON object or an empty protobuf message is a full success.
        const answer = () => {
          res.writeHead(200, { 'content-type': contentType || 'application/json' });
          res.end(request.json === undefined ? '' : '{}');
        };
        if (options.responseDelayMs) setTimeout(answer, options.responseDelayMs);
        else answer();
      }
      for (const notify of listeners) notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  const receiver: OtlpReceiver = {
    endpoint,
    logsUrl: `${endpoint}${OTLP_PATHS.logs}`,
    metricsUrl: `${endpoint}${OTLP_PATHS.metrics}`,
    requests,
    rejected,
    take() {
      return requests.splice(0);
    },
    logRecords() {
      return requests.flatMap(({ json }) =>
        isLogsRequest(json)
          ? json.resourceLogs.flatMap((rl) =>
              (rl.scopeLogs ?? []).flatMap((sl) =>
                (sl.logRecords ?? []).map((record) => ({
                  resource: attributeMap(rl.resource?.attributes),
                  scope: sl.scope?.name,
                  record,
                })),
              ),
            )
          : [],
      );
    },
    failWith(status = 503) {
      failStatus = status;
    },
    recover() {
      failStatus = undefined;
    },
    waitFor(check, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const attempt = () => {
          let value: ReturnType<typeof check>;
          try {
            value = check(receiver);
          } catch (error) {
            finish();
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (value === undefined || value === false || value === null) return;
          finish();
          resolve(value);
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting on the OTLP receiver ` +
                `(${requests.length} accepted, ${rejected.length} rejected)`,
            ),
          );
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(attempt);
        };
        listeners.add(attempt);
        attempt();
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}
