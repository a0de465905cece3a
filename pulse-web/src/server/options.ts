/** What the standalone Pulse server is configured with, checked once at start. */
import { PulseWebConfigError } from './errors';

/** Grafana's organisation roles, weakest first. */
export const ORG_ROLES = ['Viewer', 'Editor', 'Admin'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export const THEMES = ['dark', 'light'] as const;
export type ThemeMode = (typeof THEMES)[number];

export interface PulseWebOptions {
  /** The collector's base URL, as the app's `jsonData.collectorUrl` holds it. */
  collectorUrl: string;
  /** The collector's API token, as the app's `secureJsonData.apiToken` holds it. */
  apiToken?: string;
  /** The collector's write token, as the app's `secureJsonData.apiWriteToken` holds it. */
  apiWriteToken?: string;
  /** The signed-in user's role, which the proxy routes check. Default `Viewer`. */
  role?: OrgRole;
  /** The page's theme unless the URL asks for another (`?theme=light`). Default `dark`. */
  theme?: ThemeMode;
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port to listen on; 0 picks a free one. Default 3000. */
  port?: number;
  /** The built page (`main.js`, `main.css`). Default: this package's `dist/page`. */
  pageDir?: string;
}

export interface PulseWebConfig {
  collectorUrl: string;
  apiToken: string;
  apiWriteToken: string;
  role: OrgRole;
  theme: ThemeMode;
  host: string;
  port: number;
  pageDir: string;
}

const KNOWN = new Set([
  'collectorUrl',
  'apiToken',
  'apiWriteToken',
  'role',
  'theme',
  'host',
  'port',
  'pageDir',
]);

function oneOf<T extends string>(
  option: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  throw new PulseWebConfigError(
    option,
    `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
  );
}

function collectorUrlOf(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new PulseWebConfigError('collectorUrl', 'is required, e.g. http://127.0.0.1:8080');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PulseWebConfigError('collectorUrl', `is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PulseWebConfigError('collectorUrl', `must be http or https, got ${url.protocol}`);
  }
  return value.replace(/\/+$/, '');
}

/** Checks every option, naming the first bad one; fills the defaults. */
export function resolveOptions(options: PulseWebOptions, defaultPageDir: string): PulseWebConfig {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new PulseWebConfigError(key, 'is not an option');
  }
  const port = options.port ?? 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new PulseWebConfigError(
      'port',
      `must be an integer from 0 to 65535, got ${String(port)}`,
    );
  }
  for (const option of ['apiToken', 'apiWriteToken'] as const) {
    if (options[option] !== undefined && typeof options[option] !== 'string') {
      throw new PulseWebConfigError(option, 'must be a string');
    }
  }
  return {
    collectorUrl: collectorUrlOf(options.collectorUrl),
    apiToken: options.apiToken ?? '',
    apiWriteToken: options.apiWriteToken ?? '',
    role: oneOf('role', options.role, ORG_ROLES, 'Viewer'),
    theme: oneOf('theme', options.theme, THEMES, 'dark'),
    host: options.host ?? '127.0.0.1',
    port,
    pageDir: options.pageDir ?? defaultPageDir,
  };
}
