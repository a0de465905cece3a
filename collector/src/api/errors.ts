/**
 * The API's stable error codes and their HTTP status. Clients match on `code`, so a code is
 * never reused for another meaning, and a retired one stays listed.
 */
export const API_ERRORS = {
  QUASAR_UNAUTHORIZED: { status: 401, message: 'missing or invalid bearer token' },
  QUASAR_BAD_REQUEST: { status: 400, message: 'invalid request' },
  QUASAR_NOT_FOUND: { status: 404, message: 'no such route' },
  QUASAR_NOT_READY: { status: 503, message: 'the collector has not read Redis yet' },
  QUASAR_REDIS_UNAVAILABLE: { status: 503, message: 'Redis is unreachable' },
  QUASAR_CYCLES_FAILING: { status: 503, message: 'the collector cycles keep failing' },
  QUASAR_INTERNAL: { status: 500, message: 'internal error' },
  QUASAR_WRITE_TOKEN_REQUIRED: {
    status: 403,
    message: 'this route needs the write token (QUASAR_API_WRITE_TOKEN)',
  },
  QUASAR_MISSING_SCOPE: {
    status: 403,
    message: 'this token lacks the scope the request needs (see error.scope)',
  },
  QUASAR_READ_ONLY: {
    status: 403,
    message: 'the collector is read-only (--read-only): it issues no command',
  },
  QUASAR_INVALID_COMMAND: { status: 400, message: 'invalid command' },
  QUASAR_VERB_MISMATCH: {
    status: 403,
    message: "this route issues one verb's commands only (see error.verb)",
  },
  QUASAR_COMMANDS_DISABLED: {
    status: 503,
    message: 'remote control is off: set QUASAR_TOKEN (or --allow-unsigned-commands)',
  },
  QUASAR_AUDIT_UNAVAILABLE: {
    status: 503,
    message: 'the audit entry could not be written, so the command was not sent',
  },
  QUASAR_NO_SUBSCRIBER: { status: 409, message: 'no agent is listening for this command' },
  QUASAR_COMMAND_UNKNOWN: { status: 404, message: 'no such command' },
  QUASAR_TOO_MANY_STREAMS: {
    status: 503,
    message: 'the collector serves as many live streams (or distinct stream filters) as it allows',
  },
  QUASAR_SLOW_GROUPS_OFF: {
    status: 503,
    message:
      'slow-log groups are built by the slow-log consumer, which runs only with --export-logs',
  },
  QUASAR_SLOW_GROUP_UNKNOWN: {
    status: 404,
    message:
      'no such slow-log group on this collector (never seen, evicted, or another replica owns its service)',
  },
  QUASAR_RATE_LIMITED: {
    status: 429,
    message: 'too many commands from this credential: retry after the Retry-After seconds',
  },
  QUASAR_JOB_UNKNOWN: {
    status: 404,
    message:
      'this command has no inspected job: no result yet, not an INSPECT_JOB, or the agent found no such job',
  },
  QUASAR_JOB_SEALED: {
    status: 409,
    message:
      'the inspected job is sealed with a command token this collector does not hold (QUASAR_TOKEN, QUASAR_TOKEN_PREVIOUS)',
  },
  QUASAR_JOB_INVALID: {
    status: 502,
    message: 'the agent answered with an inspected job that does not validate',
  },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** The JSON body of every error response. */
export interface ApiErrorBody {
  /**
   * `scope`: with `QUASAR_MISSING_SCOPE`, the scope the request needed; `verb`: with
   * `QUASAR_VERB_MISMATCH`, the verb the route issues.
   */
  error: { code: ApiErrorCode; message: string; scope?: string; verb?: string };
}

export function errorBody(code: ApiErrorCode, message?: string): ApiErrorBody {
  return { error: { code, message: message ?? API_ERRORS[code].message } };
}

/** The 403 of a token without `scope`, naming it. */
export function missingScopeBody(scope: string, what: string): ApiErrorBody {
  const message = `this token lacks the scope "${scope}", which ${what} needs`;
  return { error: { code: 'QUASAR_MISSING_SCOPE', message, scope } };
}
