/**
 * The standalone Pulse server: the page, its assets, and Grafana's app proxy for the plugin's
 * routes (`/api/plugin-proxy/<app id>/…`), with the app's settings and the user's role fixed at
 * start. The plugin settings Grafana serves at `/api/plugins/<app id>/settings` are answered too.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { grafanaPublicFile } from './grafana-public';
import { pageHtml, serveAsset } from './page';
import { resolveOptions, type PulseWebConfig, type PulseWebOptions } from './options';
import { forward, sendJson } from './proxy';
import { hasRole, loadPluginRoutes, matchRoute, type ProxyRoute, type RouteData } from './routes';

export interface PulseWebServer {
  /** Where the page is, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** The app's page, e.g. `http://127.0.0.1:3000/a/gravito-quasar-app`. */
  readonly appUrl: string;
  readonly config: PulseWebConfig;
  close(): Promise<void>;
}

/** The plugin's `plugin.json`, from the plugin's sources. */
export function pluginJsonPath(): string {
  return require.resolve('gravito-quasar-app/src/plugin.json');
}

function handler(config: PulseWebConfig, appId: string, routes: readonly ProxyRoute[]) {
  const appPath = `/a/${appId}`;
  const proxyPrefix = `/api/plugin-proxy/${appId}/`;
  const data: RouteData = {
    JsonData: { collectorUrl: config.collectorUrl },
    SecureJsonData: {
      ...(config.apiToken ? { apiToken: config.apiToken } : {}),
      ...(config.apiWriteToken ? { apiWriteToken: config.apiWriteToken } : {}),
    },
  };
  const boot = {
    role: config.role,
    theme: config.theme,
    collectorUrl: config.collectorUrl,
    appPath,
  };
  const html = pageHtml(boot);
  // `?profile=1` loads the build with React's profiling renderer, for the render benchmark.
  const profilingHtml = pageHtml(boot, '/page-profiling');
  const profilingDir = join(config.pageDir, '..', 'page-profiling');

  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://page.invalid');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith(proxyPrefix)) {
      const matched = matchRoute(routes, method, url.pathname.slice(proxyPrefix.length));
      if (!matched) return sendJson(res, 404, { message: 'Plugin route not found' });
      if (!hasRole(config.role, matched.route.reqRole)) {
        return sendJson(res, 403, { message: 'plugin proxy route access denied' });
      }
      return forward(req, res, matched.route, matched.rest, url.search, data);
    }
    if (method !== 'GET' && method !== 'HEAD')
      return sendJson(res, 405, { message: 'Method not allowed' });
    if (url.pathname === `/api/plugins/${appId}/settings`) {
      return sendJson(res, 200, {
        id: appId,
        enabled: true,
        jsonData: data.JsonData,
        secureJsonFields: {
          apiToken: Boolean(config.apiToken),
          apiWriteToken: Boolean(config.apiWriteToken),
        },
      });
    }
    if (
      url.pathname.startsWith('/page/') &&
      (await serveAsset(res, config.pageDir, url.pathname.slice('/page/'.length)))
    ) {
      return;
    }
    if (
      url.pathname.startsWith('/page-profiling/') &&
      (await serveAsset(res, profilingDir, url.pathname.slice('/page-profiling/'.length)))
    ) {
      return;
    }
    const grafanaFile = grafanaPublicFile(url.pathname);
    if (grafanaFile && (await serveAsset(res, grafanaFile.dir, grafanaFile.file))) return;
    if (url.pathname === '/') {
      res.writeHead(302, { location: `${appPath}${url.search}` });
      return res.end();
    }
    if (
      url.pathname === appPath ||
      url.pathname.startsWith(`${appPath}/`) ||
      url.pathname === '/panel' ||
      url.pathname === '/reference'
    ) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
      });
      return res.end(url.searchParams.get('profile') === '1' ? profilingHtml : html);
    }
    sendJson(res, 404, { message: 'Not found' });
  };
}

/** Starts the server; options are checked first and a bad one is named in the error. */
export async function startPulseWeb(options: PulseWebOptions): Promise<PulseWebServer> {
  // `src/server` and `dist/server` both sit two levels under the package, whose `dist/page` holds the build.
  const config = resolveOptions(options, join(__dirname, '..', '..', 'dist', 'page'));
  const { id, routes } = loadPluginRoutes(pluginJsonPath());
  const handle = handler(config, id, routes);
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  return {
    url,
    appUrl: `${url}/a/${id}`,
    config: { ...config, port },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
