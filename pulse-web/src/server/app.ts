/**
 * The request handler: the page, its assets, and Grafana's app proxy for the plugin's routes
 * (`/api/plugin-proxy/<app id>/…`), with the app's settings fixed at start. The plugin settings
 * Grafana serves at `/api/plugins/<app id>/settings` are answered too. Every request is first
 * checked for its `Host` (and `Origin`, when it changes state), and its role comes from its
 * session.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { hostAllowed, originAllowed, type HostAllowList } from './allowed-hosts';
import { grafanaPublicFile } from './grafana-public';
import { ORG_ROLES, type PulseWebConfig } from './options';
import { pageHtml, serveAsset } from './page';
import { forward, sendJson } from './proxy';
import { actionsOf, mayUseRoute, permissionMap, type PluginRole } from './rbac';
import { matchRoute, type ProxyRoute, type RouteData } from './routes';
import { setSecurityHeaders } from './security-headers';
import type { Identity, Sessions } from './session';
import { signIn } from './sign-in';

/** Methods that change state, whose `Origin` must be on the allow-list. */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Longest `Host` repeated in an error message. */
const QUOTED_HOST_LENGTH = 80;

/** What the handler is built from. */
export interface AppDeps {
  config: PulseWebConfig;
  appId: string;
  routes: readonly ProxyRoute[];
  /** The RBAC roles `plugin.json` declares; they give each basic role its actions. */
  roles: readonly PluginRole[];
  hosts: HostAllowList;
  sessions: Sessions;
}

/** Refuses a request whose `Host` or `Origin` is not this server's; true when it did. */
function refusedOrigin(req: IncomingMessage, res: ServerResponse, hosts: HostAllowList): boolean {
  const host = req.headers.host;
  if (!hostAllowed(hosts, host)) {
    const quoted = JSON.stringify(String(host ?? '').slice(0, QUOTED_HOST_LENGTH));
    sendJson(res, 403, {
      message: `Host ${quoted} is not allowed: quasar-pulse-web answers for its listen address and localhost only; add the name to QUASAR_ALLOWED_HOSTS to serve it`,
    });
    return true;
  }
  if (STATE_CHANGING.has(req.method ?? '') && !originAllowed(hosts, req.headers.origin)) {
    sendJson(res, 403, { message: 'Cross-origin request refused: Origin is not this server' });
    return true;
  }
  return false;
}

/** The request handler for `deps`. */
export function pulseWebApp(deps: AppDeps) {
  const { config, appId, routes, roles, hosts, sessions } = deps;
  // Per basic role, computed once: the roles never change while the server runs.
  const actions = new Map(ORG_ROLES.map((role) => [role, actionsOf(role, roles)] as const));
  const appPath = `/a/${appId}`;
  const proxyPrefix = `/api/plugin-proxy/${appId}/`;
  const data: RouteData = {
    // Go templates test a boolean for truth; here a non-empty string stands for true.
    JsonData: {
      collectorUrl: config.collectorUrl,
      ...(config.readOnly ? { readOnly: 'true' } : {}),
    },
    SecureJsonData: {
      ...(config.apiToken ? { apiToken: config.apiToken } : {}),
      ...(config.apiWriteToken ? { apiWriteToken: config.apiWriteToken } : {}),
    },
  };
  const profilingDir = join(config.pageDir, '..', 'page-profiling');
  const html = (identity: Identity, profiling: boolean) =>
    pageHtml(
      {
        role: identity.role,
        user: identity.user ?? null,
        canSignIn: identity.canSignIn,
        theme: config.theme,
        collectorUrl: config.collectorUrl,
        readOnly: config.readOnly,
        appPath,
        permissions: permissionMap(actions.get(identity.role) ?? new Set()),
      },
      // `?profile=1` loads the build with React's profiling renderer, for the render benchmark.
      profiling ? '/page-profiling' : '/page',
    );

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setSecurityHeaders(res);
    if (refusedOrigin(req, res, hosts)) return;
    const url = new URL(req.url ?? '/', 'http://page.invalid');
    const method = req.method ?? 'GET';
    const identity = sessions.identityOf(req);
    if (url.pathname.startsWith(proxyPrefix)) {
      const matched = matchRoute(routes, method, url.pathname.slice(proxyPrefix.length));
      if (!matched) return sendJson(res, 404, { message: 'Plugin route not found' });
      const held = actions.get(identity.role) ?? new Set<string>();
      if (!mayUseRoute(matched.route, identity.role, held)) {
        return sendJson(res, 403, { message: 'plugin proxy route access denied' });
      }
      return forward(req, res, matched.route, matched.rest, url.search, data, identity.user);
    }
    if (method !== 'GET' && method !== 'HEAD')
      return sendJson(res, 405, { message: 'Method not allowed' });
    if (url.searchParams.has('token')) return signIn(res, url, sessions);
    if (url.pathname === `/api/plugins/${appId}/settings`) {
      return sendJson(res, 200, {
        id: appId,
        enabled: true,
        jsonData: { collectorUrl: config.collectorUrl, readOnly: config.readOnly },
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
      return void res.end();
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
      return void res.end(html(identity, url.searchParams.get('profile') === '1'));
    }
    sendJson(res, 404, { message: 'Not found' });
  };
}
