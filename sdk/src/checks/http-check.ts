/**
 * One run of an HTTP check. The connection is opened here, not by an agent, for two reasons:
 * no socket is ever kept alive between runs, and for https the certificate can be read (for
 * `certDaysLeft`) and verified before a single request byte, credentials included, is sent.
 */
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { connect as tcpConnect, isIP } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { CheckResult } from '../schema/heartbeat';
import { SDK_VERSION } from '../version';
import { statusExpected } from './check-options';
import type { ResolvedHttpCheck } from './check-options';
import { elapsedMs, errorText } from './tcp-check';

const DAY_MS = 86_400_000;
const USER_AGENT = `gravito-quasar-check/${SDK_VERSION}`;

/** Whole days until a certificate's `valid_to` (negative once expired); undefined if unreadable. */
export function certDaysLeft(
  cert: Partial<PeerCertificate> | null | undefined,
  now = Date.now(),
): number | undefined {
  const validTo = cert?.valid_to ? Date.parse(cert.valid_to) : Number.NaN;
  return Number.isFinite(validTo) ? Math.floor((validTo - now) / DAY_MS) : undefined;
}

interface Outcome {
  up: boolean;
  status?: number;
  error?: string;
}

/** Requests the check's URL within its deadline, without following redirects. Never rejects. */
export function runHttpCheck(check: ResolvedHttpCheck): Promise<CheckResult> {
  const checkedAt = Date.now();
  const start = performance.now();
  const { url } = check;
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port) || (secure ? 443 : 80);
  let certDays: number | undefined;

  return new Promise<CheckResult>((resolve) => {
    let socket: Socket | undefined;
    let done = false;
    const finish = ({ up, status, error }: Outcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve({
        name: check.name,
        type: 'http',
        target: check.target,
        method: check.method,
        up,
        latencyMs: elapsedMs(start),
        ...(status === undefined ? {} : { status }),
        ...(error === undefined ? {} : { error }),
        ...(certDays === undefined ? {} : { certDaysLeft: certDays }),
        checkedAt,
      });
    };
    const fail = (error: unknown): void => finish({ up: false, error: errorText(error) });
    const timer = setTimeout(
      () => finish({ up: false, error: `timed out after ${check.timeoutMs} ms` }),
      check.timeoutMs,
    );
    timer.unref();

    // Runs from socket events, so it must not throw: a throw there would reach the host.
    const send = (connected: Socket): void => {
      try {
        sendOn(connected);
      } catch (error) {
        fail(error);
      }
    };
    const sendOn = (connected: Socket): void => {
      const req = request({
        createConnection: () => connected,
        host,
        port,
        defaultPort: secure ? 443 : 80,
        method: check.method,
        path: `${url.pathname}${url.search}`,
        headers: withUserAgent(check.headers),
        ...(url.username || url.password
          ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }
          : {}),
      });
      req.on('response', (res: IncomingMessage) => {
        // The body is not needed; the socket is destroyed in finish() without reading it.
        res.on('error', () => undefined);
        res.resume();
        const status = res.statusCode ?? 0;
        finish({ up: statusExpected(status, check.expectStatus), status });
      });
      req.on('error', fail);
      req.end();
    };

    try {
      if (secure) {
        // Verification is decided here rather than by OpenSSL, so that an untrusted or expired
        // certificate still yields its expiry; nothing is written before the decision.
        const tls: TLSSocket = tlsConnect({
          host,
          port,
          ...(isIP(host) ? {} : { servername: host }),
          rejectUnauthorized: false,
        });
        socket = tls;
        tls.once('secureConnect', () => {
          try {
            certDays = certDaysLeft(tls.getPeerCertificate());
          } catch {
            // An unreadable certificate only costs certDaysLeft.
          }
          if (check.rejectUnauthorized && !tls.authorized) {
            fail(tls.authorizationError ?? 'certificate not trusted');
          } else {
            send(tls);
          }
        });
      } else {
        const tcp = tcpConnect({ host, port });
        socket = tcp;
        tcp.once('connect', () => send(tcp));
      }
      // An in-flight check must never keep the host process alive.
      socket.unref();
      socket.on('error', fail);
    } catch (error) {
      fail(error);
    }
  });
}

function withUserAgent(headers: Record<string, string>): Record<string, string> {
  const named = Object.keys(headers).some((h) => h.toLowerCase() === 'user-agent');
  return named ? { ...headers } : { 'user-agent': USER_AGENT, ...headers };
}
