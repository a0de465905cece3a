/**
 * Validation of one `monitorCheck()` call. Every error is a `QuasarConfigError` whose `.option`
 * names the option and whose message names the check, e.g.
 * `monitorCheck("api"): option "url" must be an http:// or https:// URL`.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { isIPv6 } from 'node:net';
import { QuasarConfigError } from '../options/errors';
import type { ExpectedStatus } from './types';

/** The defaults of every optional field, applied in `resolveCheck()` only. */
export const CHECK_DEFAULTS = {
  intervalMs: 30_000,
  timeoutMs: 5_000,
  method: 'GET',
  expectStatus: ['2xx', '3xx'],
  rejectUnauthorized: true,
} as const;

/** The shortest interval accepted: checks are availability probes, not load generators. */
export const MIN_INTERVAL_MS = 1000;

const KNOWN = {
  http: ['type', 'url', 'method', 'expectStatus', 'headers', 'rejectUnauthorized'],
  tcp: ['type', 'host', 'port'],
  schedule: ['intervalMs', 'timeoutMs'],
} as const;

const STATUS_CLASSES: readonly string[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];

interface ResolvedSchedule {
  name: string;
  /** The check's target as results show it: the URL without credentials, or `host:port`. */
  target: string;
  intervalMs: number;
  timeoutMs: number;
}

/** An HTTP check with every default applied. */
export interface ResolvedHttpCheck extends ResolvedSchedule {
  type: 'http';
  url: URL;
  method: 'GET' | 'HEAD';
  expectStatus: readonly ExpectedStatus[];
  headers: Record<string, string>;
  rejectUnauthorized: boolean;
}

/** A TCP check with every default applied. */
export interface ResolvedTcpCheck extends ResolvedSchedule {
  type: 'tcp';
  host: string;
  port: number;
}

/** One validated check, ready to run. */
export type ResolvedCheck = ResolvedHttpCheck | ResolvedTcpCheck;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `status` is one of the expected codes or classes. */
export function statusExpected(status: number, expected: readonly ExpectedStatus[]): boolean {
  return expected.some((e) =>
    typeof e === 'number' ? e === status : Math.floor(status / 100) === Number(e[0]),
  );
}

/**
 * Validates one check's name and options and applies the defaults.
 * @throws QuasarConfigError naming the invalid option (`name` for the name itself).
 */
export function resolveCheck(name: unknown, options: unknown): ResolvedCheck {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new QuasarConfigError(
      'name',
      `monitorCheck(${typeof name === 'string' ? JSON.stringify(name) : String(name)}): the check name must be a non-empty string`,
    );
  }
  const at = `monitorCheck(${JSON.stringify(name)})`;
  const fail = (option: string, expected: string): never => {
    throw new QuasarConfigError(option, `${at}: option "${option}" must be ${expected}`);
  };
  if (!isObject(options)) {
    throw new QuasarConfigError('options', `${at}: the options must be an object`);
  }
  const type = options.type;
  if (type !== 'http' && type !== 'tcp') return fail('type', '"http" or "tcp"');
  const known: readonly string[] = [...KNOWN[type], ...KNOWN.schedule];
  for (const key of Object.keys(options)) {
    if (options[key] !== undefined && !known.includes(key)) {
      throw new QuasarConfigError(
        key,
        `${at}: unknown option "${key}" (${type} checks take: ${known.join(', ')})`,
      );
    }
  }

  const intervalMs = options.intervalMs ?? CHECK_DEFAULTS.intervalMs;
  if (
    typeof intervalMs !== 'number' ||
    !Number.isFinite(intervalMs) ||
    intervalMs < MIN_INTERVAL_MS
  ) {
    return fail('intervalMs', `a number of milliseconds ≥ ${MIN_INTERVAL_MS}`);
  }
  const timeoutMs = options.timeoutMs ?? CHECK_DEFAULTS.timeoutMs;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs >= intervalMs) {
    return fail(
      'timeoutMs',
      `a number of milliseconds > 0 and less than intervalMs (${intervalMs})`,
    );
  }
  const schedule = { name, intervalMs, timeoutMs };
  return type === 'http'
    ? resolveHttp(options, schedule, fail)
    : resolveTcp(options, schedule, fail);
}

type Fail = (option: string, expected: string) => never;
type Schedule = Omit<ResolvedSchedule, 'target'>;

function resolveHttp(
  o: Record<string, unknown>,
  schedule: Schedule,
  fail: Fail,
): ResolvedHttpCheck {
  const url = typeof o.url === 'string' && URL.canParse(o.url) ? new URL(o.url) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return fail('url', 'an http:// or https:// URL');
  }
  const target = new URL(url.href);
  target.username = '';
  target.password = '';

  const method = o.method ?? CHECK_DEFAULTS.method;
  if (method !== 'GET' && method !== 'HEAD') return fail('method', '"GET" or "HEAD"');

  const expected = o.expectStatus ?? CHECK_DEFAULTS.expectStatus;
  const list: unknown[] = Array.isArray(expected) ? expected : [expected];
  if (list.length === 0 || !list.every(isExpectedStatus)) {
    return fail(
      'expectStatus',
      'a status code (100–599), a class such as "2xx", or a non-empty list of them',
    );
  }

  const headers = o.headers ?? {};
  if (!isObject(headers)) return fail('headers', 'an object of header names to string values');
  for (const [header, value] of Object.entries(headers)) {
    // Values may be secrets: the message names the header, never its value.
    if (typeof value !== 'string' || !validHeader(header, value)) {
      return fail(
        'headers',
        `an object of valid header names to string values (see header ${JSON.stringify(header)})`,
      );
    }
  }

  const rejectUnauthorized = o.rejectUnauthorized ?? CHECK_DEFAULTS.rejectUnauthorized;
  if (typeof rejectUnauthorized !== 'boolean') return fail('rejectUnauthorized', 'true or false');

  return {
    ...schedule,
    type: 'http',
    target: target.href,
    url,
    method,
    expectStatus: [...list],
    headers: { ...(headers as Record<string, string>) },
    rejectUnauthorized,
  };
}

function resolveTcp(o: Record<string, unknown>, schedule: Schedule, fail: Fail): ResolvedTcpCheck {
  if (typeof o.host !== 'string' || o.host.trim() === '') {
    return fail('host', 'a host name or IP address');
  }
  // `[::1]` is how URLs write an IPv6 address; the socket wants it bare.
  const host = o.host.trim().replace(/^\[(.*)\]$/, '$1');
  const port = o.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return fail('port', 'an integer from 1 to 65535');
  }
  const target = `${isIPv6(host) ? `[${host}]` : host}:${port}`;
  return { ...schedule, type: 'tcp', target, host, port };
}

function isExpectedStatus(value: unknown): value is ExpectedStatus {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 100 && value <= 599;
  return typeof value === 'string' && STATUS_CLASSES.includes(value);
}

function validHeader(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}
