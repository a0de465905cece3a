/** Support for the check suites: real loopback servers on port 0, and a port nothing listens on. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Listens on a free loopback port and returns it. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Closes a server, cutting any connection still open (a request held by a slow handler). */
export async function close(server: Server): Promise<void> {
  (server as HttpServer).closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A loopback port that was free a moment ago and has nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await close(server);
  return port;
}

/** An HTTP server on loopback that records each request it receives. */
export async function httpServer(
  handler: RequestListener,
): Promise<{ server: HttpServer; port: number; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createHttpServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  return { server, port: await listen(server), requests };
}

/**
 * An HTTPS server on loopback with a fresh self-signed certificate for `localhost` and
 * 127.0.0.1, valid for `days` days from now, made by the `openssl` CLI.
 */
export async function httpsServer(
  days: number,
  handler: RequestListener,
): Promise<{ server: Server; port: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'quasar-check-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        String(days),
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, handler);
    return { server, port: await listen(server) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
