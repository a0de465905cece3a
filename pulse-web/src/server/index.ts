/** Public API of the standalone Pulse page's server. */
export { PulseWebConfigError } from './errors';
export { ORG_ROLES, THEMES } from './options';
export type { OrgRole, PulseWebConfig, PulseWebOptions, ThemeMode } from './options';
export { hasRole, interpolate, loadPluginRoutes, matchRoute } from './routes';
export type { ProxyRoute, RouteData } from './routes';
export { pluginJsonPath, startPulseWeb } from './server';
export type { PulseWebServer } from './server';
