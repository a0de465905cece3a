/**
 * Starts the standalone Pulse server: checks the options, reads the plugin's routes, listens,
 * and builds the request handler once the port (which the Host allow-list and the session
 * cookie name) is known.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { hostAllowList } from './allowed-hosts';
import { pulseWebApp } from './app';
import {
  HEADERS_TIMEOUT_MS,
  MAX_HEADER_BYTES,
  MAX_HEADERS_COUNT,
  REQUEST_TIMEOUT_MS,
} from './limits';
import { resolveOptions, type PulseWebConfig, type PulseWebOptions } from './options';
import { sendJson } from './proxy';
import { loadPluginRoutes } from './routes';
import { setSecurityHeaders } from './security-headers';
import { createSessions } from './session';

/** A running server. */
export interface PulseWebServer {
  /** Where the page is, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** The app's page, e.g. `http://127.0.0.1:3000/a/gravito-quasar-app`. */
  readonly appUrl: string;
  /**
   * The URL that signs a browser in with the configured role, e.g.
   * `http://127.0.0.1:3000/?token=…`; undefined when the role is Viewer. It holds the secret.
   */
  readonly signInUrl: string | undefined;
  readonly config: PulseWebConfig;
  close(): Promise<void>;
}

/** The plugin's `plugin.json`, from the plugin's sources. */
export function pluginJsonPath(): string {
  return require.resolve('gravito-quasar-app/src/plugin.json');
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Starts the server; options are checked first and a bad one is named in the error. */
export async function startPulseWeb(options: PulseWebOptions): Promise<PulseWebServer> {
  // `src/server` and `dist/server` both sit two levels under the package, whose `dist/page` holds the build.
  const config = resolveOptions(options, join(__dirname, '..', '..', 'dist', 'page'));
  const { id, routes, roles } = loadPluginRoutes(pluginJsonPath());
  // Built once listening: the Host allow-list and the session cookie need the port.
  const app: { handle?: Handler } = {};
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
    },
    (req, res) => {
      if (!app.handle) {
        setSecurityHeaders(res);
        return sendJson(res, 503, { message: 'Starting' });
      }
      app.handle(req, res).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { message: 'Internal error' });
        else res.destroy();
      });
    },
  );
  server.maxHeadersCount = MAX_HEADERS_COUNT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const sessions = createSessions(config, port);
  app.handle = pulseWebApp({
    config,
    appId: id,
    routes,
    roles,
    hosts: hostAllowList(config.host, port, config.allowedHosts),
    sessions,
  });
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  return {
    url,
    appUrl: `${url}/a/${id}`,
    signInUrl: sessions.token ? `${url}/?token=${encodeURIComponent(sessions.token)}` : undefined,
    config: { ...config, port },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
