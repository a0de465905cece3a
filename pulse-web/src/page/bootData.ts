/**
 * What the server tells the page (role, user, theme, collector URL), in a JSON script element, and the
 * boot data Grafana's own server would put on `window.grafanaBootData`.
 */

/** The page's settings, as the server embeds them. */
export interface PageBoot {
  role: 'Viewer' | 'Editor' | 'Admin';
  /**
   * The role's RBAC actions (action → true) from the plugin's roles, as Grafana's boot data lists
   * a user's: the plugin's permission check reads them to hide what the proxy would refuse.
   */
  permissions: Record<string, boolean>;
  /** The signed-in login; null for an anonymous Viewer. */
  user: string | null;
  /** Whether the server's sign-in URL would give this browser a higher role. */
  canSignIn: boolean;
  theme: 'dark' | 'light';
  collectorUrl: string;
  /** The app's read-only mode (`jsonData.readOnly`): the page shows no action. */
  readOnly: boolean;
  /** The app's base path, e.g. `/a/gravito-quasar-app`. */
  appPath: string;
}

/** The id of the script element holding {@link PageBoot}. */
export const BOOT_ELEMENT_ID = 'quasar-pulse-boot';

/** Reads the embedded settings; `?theme=light|dark` overrides the theme. */
export function readPageBoot(): PageBoot {
  const element = document.getElementById(BOOT_ELEMENT_ID);
  const boot = JSON.parse(element?.textContent ?? '{}') as PageBoot;
  const asked = new URLSearchParams(window.location.search).get('theme');
  return asked === 'light' || asked === 'dark' ? { ...boot, theme: asked } : boot;
}

/** The subset of Grafana's boot data that `@grafana/runtime`'s `config` and the plugin read. */
export function grafanaBootData(boot: PageBoot) {
  return {
    assets: { dark: '', light: '' },
    navTree: [],
    settings: {
      appSubUrl: '',
      appUrl: `${window.location.origin}/`,
      buildInfo: { version: '13.1.1', commit: '', env: 'production' },
      datasources: {},
      panels: {},
      featureToggles: {},
    },
    user: {
      isSignedIn: boot.user !== null,
      login: boot.user ?? '',
      name: boot.user ?? 'Anonymous',
      orgId: 1,
      orgName: 'Main Org.',
      orgRole: boot.role,
      permissions: boot.permissions,
      theme: boot.theme,
      timezone: 'browser',
    },
  };
}
