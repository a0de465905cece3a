/**
 * The app's proxy routes, read from the plugin's own `plugin.json`, and the rules Grafana applies
 * to them: the first route whose method and path match wins, the user must hold the route's
 * `reqAction` (see `rbac.ts`) or reach its `reqRole`, and `{{ .JsonData.x }}` /
 * `{{ .SecureJsonData.x }}` are filled from the app's settings in the route's URL and headers.
 */
import { readFileSync } from 'node:fs';
import { ORG_ROLES, type OrgRole } from './options';
import { readPluginRoles, type PluginRole } from './rbac';

export interface ProxyRoute {
  path: string;
  method?: string;
  /** The RBAC action the route requires; Grafana then ignores `reqRole`. */
  reqAction?: string;
  reqRole?: OrgRole;
  url: string;
  headers?: Array<{ name: string; content: string }>;
}

/** The app's settings the templates read. */
export interface RouteData {
  JsonData: Record<string, string>;
  SecureJsonData: Record<string, string>;
}

/** The app's id, routes and RBAC roles from a `plugin.json`. */
export function loadPluginRoutes(pluginJsonPath: string): {
  id: string;
  routes: ProxyRoute[];
  roles: PluginRole[];
} {
  const plugin = JSON.parse(readFileSync(pluginJsonPath, 'utf8')) as {
    id?: unknown;
    routes?: unknown;
    roles?: unknown;
  };
  if (typeof plugin.id !== 'string' || !Array.isArray(plugin.routes)) {
    throw new Error(`${pluginJsonPath} has no app id or no routes`);
  }
  return {
    id: plugin.id,
    routes: plugin.routes as ProxyRoute[],
    roles: readPluginRoles(plugin.roles),
  };
}

/** A path's segments, without leading or trailing slashes. */
const segments = (path: string) => path.replace(/^\/+|\/+$/g, '').split('/');

/** A segment as Grafana's router compares it: percent-decoded; undefined when it cannot be. */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * What of `path` a route `pattern` forwards, or undefined when it does not match, by the rules of
 * Grafana's router: segments compare decoded; a last `*` matches one segment or more, which are
 * forwarded; a `*` before the last segment matches exactly one, and nothing is forwarded.
 */
function matchPath(pattern: string, path: string): string | undefined {
  const want = segments(pattern);
  const got = segments(path);
  for (let i = 0; i < want.length; i++) {
    const segment = want[i];
    if (segment === '*' && i === want.length - 1) {
      const rest = got.slice(i).join('/');
      return rest === '' ? undefined : rest;
    }
    if (i >= got.length) return undefined;
    if (segment !== '*' && segment !== decoded(got[i] as string)) return undefined;
  }
  return got.length === want.length ? '' : undefined;
}

/** The first route matching the method and the path under the app's proxy, with the rest of the path. */
export function matchRoute(
  routes: readonly ProxyRoute[],
  method: string,
  proxyPath: string,
): { route: ProxyRoute; rest: string } | undefined {
  for (const route of routes) {
    const routeMethod = route.method ?? '';
    if (routeMethod !== '' && routeMethod !== '*' && routeMethod !== method) continue;
    const rest = matchPath(route.path, proxyPath);
    if (rest !== undefined) return { route, rest };
  }
  return undefined;
}

/** Whether `role` reaches `required` (Viewer < Editor < Admin); no requirement lets anyone in. */
export function hasRole(role: OrgRole, required: OrgRole | undefined): boolean {
  return required === undefined || ORG_ROLES.indexOf(role) >= ORG_ROLES.indexOf(required);
}

const FIELD = String.raw`\.(JsonData|SecureJsonData)\.(\w+)`;
const CONDITIONAL = new RegExp(
  String.raw`\{\{\s*if\s+${FIELD}\s*\}\}([\s\S]*?)(?:\{\{\s*else\s*\}\}([\s\S]*?))?\{\{\s*end\s*\}\}`,
  'g',
);
const VALUE = new RegExp(String.raw`\{\{\s*${FIELD}\s*\}\}`, 'g');

function valueOf(data: RouteData, scope: string, name: string): string {
  const fields = scope === 'JsonData' ? data.JsonData : data.SecureJsonData;
  // Own fields only: `{{ .JsonData.constructor }}` is a missing value, not Object's.
  return (Object.hasOwn(fields, name) ? fields[name] : undefined) ?? '';
}

/**
 * Fills `{{ .JsonData.name }}` and `{{ .SecureJsonData.name }}` (a missing value is empty), and
 * `{{ if .Scope.name }}…{{ else }}…{{ end }}` on whether the value is non-empty: the subset of
 * Go templates the plugin's routes use, with Go's truthiness for strings.
 */
export function interpolate(template: string, data: RouteData): string {
  return template
    .replace(
      CONDITIONAL,
      (_match, scope: string, name: string, then: string, otherwise?: string) =>
        valueOf(data, scope, name) !== '' ? then : (otherwise ?? ''),
    )
    .replace(VALUE, (_match, scope: string, name: string) => valueOf(data, scope, name));
}

/** The upstream URL of a matched route: its URL, then the rest of the path, then the query. */
export function targetUrl(route: ProxyRoute, rest: string, search: string, data: RouteData): URL {
  const base = interpolate(route.url, data).replace(/\/+$/, '');
  return new URL(`${base}${rest ? `/${rest}` : ''}${search}`);
}
