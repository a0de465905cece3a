/**
 * Options of `monitorCheck(name, options)`: an HTTP or a TCP availability check. Defaults are in
 * `CHECK_DEFAULTS` (`check-options.ts`), applied and validated once by `resolveCheck()`.
 */

/** The schedule every check takes, whatever its type. */
export interface CheckScheduleOptions {
  /**
   * Milliseconds from the start of one run to the start of the next; at least 1000. A run that
   * outlasts it delays the next one rather than overlapping it.
   * @default 30000
   */
  intervalMs?: number;
  /**
   * Deadline of one run, in milliseconds, covering DNS, connect, TLS and (http) the response
   * headers. Must be less than `intervalMs`. A run that misses it is down with the error
   * `timed out after {timeoutMs} ms`.
   * @default 5000
   */
  timeoutMs?: number;
}

/** A class of HTTP status codes: `'2xx'` matches 200–299. */
export type HttpStatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

/** One accepted status: an exact code such as `204`, or a class such as `'2xx'`. */
export type ExpectedStatus = number | HttpStatusClass;

/** An HTTP check: one request, no redirects followed, up when the status is the expected one. */
export interface HttpCheckOptions extends CheckScheduleOptions {
  /** Required. */
  type: 'http';
  /**
   * The `http://` or `https://` URL to request. Credentials in it (`https://user:pass@host/`)
   * are sent as Basic authentication and never appear in results.
   * Required.
   */
  url: string;
  /**
   * The request method. `HEAD` spares the server the body; some servers only answer `GET`.
   * @default 'GET'
   */
  method?: 'GET' | 'HEAD';
  /**
   * The statuses that count as up: a code, a class, or a list of them (`[200, 204]`,
   * `['2xx', 404]`). Redirects are not followed, so a 3xx is judged as it is.
   * @default ['2xx', '3xx']
   */
  expectStatus?: ExpectedStatus | readonly ExpectedStatus[];
  /**
   * Extra request headers. Their values are never logged or reported.
   * @default {} (only `User-Agent: gravito-quasar-check/{version}`, unless given here)
   */
  headers?: Record<string, string>;
  /**
   * Reject a certificate that does not verify (untrusted, expired, wrong host name): the run is
   * then down with the verification code as its error, before any request is sent.
   * `certDaysLeft` is reported either way.
   * @default true
   */
  rejectUnauthorized?: boolean;
}

/** A TCP check: up when a connection to `host:port` opens; nothing is sent. */
export interface TcpCheckOptions extends CheckScheduleOptions {
  /** Required. */
  type: 'tcp';
  /** Host name or IP address. Required. */
  host: string;
  /** Port, 1–65535. Required. */
  port: number;
}

/** Options of one availability check. */
export type CheckOptions = HttpCheckOptions | TcpCheckOptions;
