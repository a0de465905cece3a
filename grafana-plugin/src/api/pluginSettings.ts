/** Saving the app's settings through Grafana's plugin settings API. */
import { lastValueFrom } from 'rxjs';
import type { PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import type { AppSecureSettings, AppSettings } from '../types';

/** What the configuration page posts; `secureJsonData` is left out to keep a saved token. */
export interface AppSettingsUpdate extends Partial<Pick<PluginMeta<AppSettings>, 'enabled' | 'pinned' | 'jsonData'>> {
  secureJsonData?: AppSecureSettings;
}

/** Posts the settings to `/api/plugins/{id}/settings`. */
export async function updatePluginSettings(pluginId: string, data: AppSettingsUpdate): Promise<void> {
  await lastValueFrom(getBackendSrv().fetch({ url: `/api/plugins/${pluginId}/settings`, method: 'POST', data }));
}

/** Grafana has no supported way to refresh a plugin's meta in place, so the page reloads. */
export function reloadPage(): void {
  window.location.reload();
}
