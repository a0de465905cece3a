import pluginJson from './plugin.json';

/** The app's plugin id, as Grafana knows it. */
export const PLUGIN_ID = pluginJson.id;

/** Where Grafana serves the app's pages. */
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

/**
 * The app's proxy, relative to Grafana's root. Every call to the collector goes through it, so
 * Grafana adds the API token server-side and the browser never sees it.
 */
export const PROXY_BASE_URL = `api/plugin-proxy/${PLUGIN_ID}`;

/** The app's pages, relative to `PLUGIN_BASE_URL`; `plugin.json` lists the same paths. */
export const ROUTES = {
  slow: 'slow',
  audit: 'audit',
} as const;
