/** One run of a TCP check: open a connection, time it, close it. Nothing is sent. */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { CheckResult } from '../schema/heartbeat';
import type { ResolvedTcpCheck } from './check-options';

/**
 * The short, stable text of a failed run: the error's code when it has one (`ECONNREFUSED`,
 * `ENOTFOUND`, `CERT_HAS_EXPIRED`), else its message. Codes keep `httpcheck.error` and
 * `tcpcheck.error` series few, where messages would carry addresses.
 */
export function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  // Duck-typed, not `instanceof Error`: errors can come from another realm (vm contexts).
  if (typeof error === 'object' && error !== null) {
    const { code, message, errors } = error as {
      code?: unknown;
      message?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string' && code !== '') return code;
    // Happy eyeballs (several addresses tried) fails with an AggregateError of the attempts.
    if (Array.isArray(errors) && errors.length > 0) return errorText(errors[0]);
    if (typeof message === 'string' && message !== '') return message;
  }
  return String(error);
}

/** Milliseconds since `start` on the monotonic clock, to 0.01 ms. */
export function elapsedMs(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}

/** Connects to the check's `host:port` within its deadline. Never rejects. */
export function runTcpCheck(check: ResolvedTcpCheck): Promise<CheckResult> {
  const checkedAt = Date.now();
  const start = performance.now();
  return new Promise<CheckResult>((resolve) => {
    let socket: Socket | undefined;
    let done = false;
    const finish = (error?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve({
        name: check.name,
        type: 'tcp',
        target: check.target,
        up: error === undefined,
        latencyMs: elapsedMs(start),
        ...(error === undefined ? {} : { error }),
        checkedAt,
      });
    };
    const timer = setTimeout(
      () => finish(`timed out after ${check.timeoutMs} ms`),
      check.timeoutMs,
    );
    timer.unref();
    try {
      socket = connect({ host: check.host, port: check.port });
      // An in-flight check must never keep the host process alive.
      socket.unref();
      socket.once('connect', () => finish());
      socket.on('error', (error) => finish(errorText(error)));
    } catch (error) {
      finish(errorText(error));
    }
  });
}
