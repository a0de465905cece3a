/** What the standalone Pulse server is configured with, checked once at start. */
import { PulseWebConfigError } from './errors';

/** Grafana's organisation roles, weakest first. */
export const ORG_ROLES = ['Viewer', 'Editor', 'Admin'] as const;
/** One of {@link ORG_ROLES}. */
export type OrgRole = (typeof ORG_ROLES)[number];

/** The page's two themes. */
export const THEMES = ['dark', 'light'] as const;
/** One of {@link THEMES}. */
export type ThemeMode = (typeof THEMES)[number];

/** Shortest fixed sign-in token accepted: it is the only thing between a local process and the role. */
export const MIN_SIGN_IN_TOKEN_LENGTH = 32;

/** The server's options; `startPulseWeb` checks them and names the first bad one. */
export interface PulseWebOptions {
  /** The collector's base URL, as the app's `jsonData.collectorUrl` holds it. */
  collectorUrl: string;
  /** The collector's API token, as the app's `secureJsonData.apiToken` holds it. */
  apiToken?: string;
  /** The collector's write token, as the app's `secureJsonData.apiWriteToken` holds it. */
  apiWriteToken?: string;
  /**
   * The signed-in user's role, which the proxy routes check. Default `Viewer`. Above `Viewer`,
   * only a browser that opened the sign-in URL printed at start has it; others are Viewers.
   */
  role?: OrgRole;
  /**
   * The signed-in user's login, which the proxy sends to the collector as `X-Grafana-User` (the
   * audit's actor) in place of whatever the browser sent.
   * @default the role in lower case
   */
  user?: string;
  /**
   * A fixed sign-in token instead of a random one per start, for automation (at least 32
   * characters; never printed). Used only when the role is above `Viewer`.
   * @default random per start
   */
  signInToken?: string;
  /**
   * Further `Host` names the page answers for, as `name` (any port) or `name:port`, for a
   * deployment behind a name. The listen address (every address of the machine for `0.0.0.0`
   * or `::`) and `localhost`, `127.0.0.1` and `[::1]` on the server's port are always allowed;
   * any other `Host` (DNS rebinding) is refused.
   * @default none
   */
  allowedHosts?: readonly string[];
  /** The page's theme unless the URL asks for another (`?theme=light`). Default `dark`. */
  theme?: ThemeMode;
  /**
   * The app's read-only mode, as its `jsonData.readOnly` holds it: the page shows no action and
   * the command routes send `X-Quasar-Read-Only: true`, on which the collector refuses them.
   * @default false
   */
  readOnly?: boolean;
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port to listen on; 0 picks a free one. Default 3000. */
  port?: number;
  /** The built page (`main.js`, `main.css`). Default: this package's `dist/page`. */
  pageDir?: string;
}

/** {@link PulseWebOptions} checked, with the defaults filled. */
export interface PulseWebConfig {
  collectorUrl: string;
  apiToken: string;
  apiWriteToken: string;
  role: OrgRole;
  user: string;
  signInToken: string | undefined;
  allowedHosts: readonly string[];
  theme: ThemeMode;
  readOnly: boolean;
  host: string;
  port: number;
  pageDir: string;
}

const KNOWN = new Set([
  'collectorUrl',
  'apiToken',
  'apiWriteToken',
  'role',
  'user',
  'signInToken',
  'allowedHosts',
  'theme',
  'readOnly',
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

/** A login a header can carry: printable ASCII, no leading or trailing space. */
function userOf(value: unknown, role: OrgRole): string {
  if (value === undefined) return role.toLowerCase();
  if (typeof value !== 'string' || !/^[\x21-\x7e](?:[\x20-\x7e]{0,126}[\x21-\x7e])?$/.test(value)) {
    throw new PulseWebConfigError(
      'user',
      'must be 1 to 128 printable ASCII characters, without leading or trailing spaces',
    );
  }
  return value;
}

function signInTokenOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length < MIN_SIGN_IN_TOKEN_LENGTH || value.length > 512) {
    // The value itself is never repeated: it is a secret.
    throw new PulseWebConfigError(
      'signInToken',
      `must be a string of ${MIN_SIGN_IN_TOKEN_LENGTH} to 512 characters`,
    );
  }
  return value;
}

function allowedHostsOf(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new PulseWebConfigError('allowedHosts', 'must be a list');
  return value.map((entry: unknown) => {
    // A name, an IPv4 address or a bracketed IPv6 address, with an optional port.
    if (
      typeof entry !== 'string' ||
      !/^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i.test(entry)
    ) {
      throw new PulseWebConfigError(
        'allowedHosts',
        `${JSON.stringify(entry)} is not a host name or name:port`,
      );
    }
    return entry.toLowerCase();
  });
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
  if (options.readOnly !== undefined && typeof options.readOnly !== 'boolean') {
    throw new PulseWebConfigError('readOnly', 'must be true or false');
  }
  const role = oneOf('role', options.role, ORG_ROLES, 'Viewer');
  return {
    collectorUrl: collectorUrlOf(options.collectorUrl),
    apiToken: options.apiToken ?? '',
    apiWriteToken: options.apiWriteToken ?? '',
    role,
    user: userOf(options.user, role),
    signInToken: signInTokenOf(options.signInToken),
    allowedHosts: allowedHostsOf(options.allowedHosts),
    theme: oneOf('theme', options.theme, THEMES, 'dark'),
    readOnly: options.readOnly ?? false,
    host: options.host ?? '127.0.0.1',
    port,
    pageDir: options.pageDir ?? defaultPageDir,
  };
}
