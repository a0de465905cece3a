import React, { type ChangeEvent, type FormEvent, useState } from 'react';
import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps } from '@grafana/data';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack, Switch, useStyles2 } from '@grafana/ui';
import { checkCollector, type ConnectionCheck } from '../../api/collector';
import { reloadPage, updatePluginSettings, type AppSettingsUpdate } from '../../api/pluginSettings';
import type { AppSettings } from '../../types';
import { testIds } from '../testIds';

/** Props Grafana passes to an app's configuration page. */
export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

export interface FormState {
  collectorUrl: string;
  apiToken: string;
  /** A token is saved server-side; its value never reaches the browser. */
  isApiTokenSet: boolean;
  apiWriteToken: string;
  isApiWriteTokenSet: boolean;
  /** Whether a write token was saved when the page opened, so a reset must clear it. */
  hadApiWriteToken: boolean;
  /** Read-only mode (`jsonData.readOnly`). */
  readOnly: boolean;
}

/** `http(s)://host[:port][/path]`, the only URLs Grafana's proxy can forward to. */
export function isCollectorUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The secrets to save: those typed, and a reset write token as '' (which the command route
 * treats as unset); `undefined` when the saved ones are untouched.
 */
export function secureUpdate(state: FormState): AppSettingsUpdate['secureJsonData'] {
  const writeChanged = !state.isApiWriteTokenSet && (state.apiWriteToken !== '' || state.hadApiWriteToken);
  const update = {
    ...(state.isApiTokenSet ? {} : { apiToken: state.apiToken }),
    ...(writeChanged ? { apiWriteToken: state.apiWriteToken } : {}),
  };
  return Object.keys(update).length > 0 ? update : undefined;
}

/**
 * The app's configuration page: the collector URL (jsonData), the API tokens (secureJsonData),
 * enable/disable, and a connection test through the proxy route.
 */
const AppConfig = ({ plugin }: AppConfigProps) => {
  const s = useStyles2(getStyles);
  const { id, enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [state, setState] = useState<FormState>({
    collectorUrl: jsonData?.collectorUrl ?? '',
    apiToken: '',
    isApiTokenSet: Boolean(secureJsonFields?.apiToken),
    apiWriteToken: '',
    isApiWriteTokenSet: Boolean(secureJsonFields?.apiWriteToken),
    hadApiWriteToken: Boolean(secureJsonFields?.apiWriteToken),
    readOnly: jsonData?.readOnly === true,
  });
  const [saveError, setSaveError] = useState<string>();
  const [check, setCheck] = useState<ConnectionCheck>();
  const [checking, setChecking] = useState(false);

  const urlInvalid = state.collectorUrl !== '' && !isCollectorUrl(state.collectorUrl);
  const saveDisabled = !isCollectorUrl(state.collectorUrl) || (!state.isApiTokenSet && state.apiToken === '');

  const save = async (update: AppSettingsUpdate) => {
    setSaveError(undefined);
    try {
      await updatePluginSettings(id, update);
      reloadPage();
    } catch (error) {
      setSaveError(error instanceof Error ? error.message : 'The settings could not be saved');
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (saveDisabled) {
      return;
    }
    void save({
      enabled,
      pinned,
      jsonData: { ...jsonData, collectorUrl: state.collectorUrl.replace(/\/+$/, ''), readOnly: state.readOnly },
      // Only what was typed or reset: an untouched saved token must not be overwritten with ''.
      secureJsonData: secureUpdate(state),
    });
  };

  const onTestConnection = async () => {
    setChecking(true);
    setCheck(undefined);
    setCheck(await checkCollector());
    setChecking(false);
  };

  return (
    <div>
      <FieldSet label="Enable Quasar">
        {enabled ? (
          <Button
            variant="destructive"
            data-testid={testIds.appConfig.disable}
            onClick={() => void save({ enabled: false, pinned: false, jsonData })}
          >
            Disable plugin
          </Button>
        ) : (
          <Button
            variant="primary"
            data-testid={testIds.appConfig.enable}
            onClick={() => void save({ enabled: true, pinned: true, jsonData })}
          >
            Enable plugin
          </Button>
        )}
      </FieldSet>

      <form onSubmit={onSubmit}>
        <FieldSet label="Collector connection" className={s.section}>
          <Field
            label="Collector URL"
            description="Base URL of the Quasar collector, as the Grafana server reaches it."
            invalid={urlInvalid}
            error={urlInvalid ? 'Enter an http:// or https:// URL' : undefined}
          >
            <Input
              width={60}
              id="config-collector-url"
              name="collectorUrl"
              data-testid={testIds.appConfig.collectorUrl}
              value={state.collectorUrl}
              placeholder="http://quasar-collector:8080"
              onChange={(event: ChangeEvent<HTMLInputElement>) =>
                setState({ ...state, collectorUrl: event.target.value.trim() })
              }
            />
          </Field>

          <Field
            label="API token"
            description="The collector's API token. Grafana encrypts it and adds it to proxied requests; the browser never sees it."
          >
            <SecretInput
              width={60}
              id="config-api-token"
              name="apiToken"
              data-testid={testIds.appConfig.apiToken}
              value={state.apiToken}
              isConfigured={state.isApiTokenSet}
              placeholder="QUASAR_API_TOKEN"
              onChange={(event: ChangeEvent<HTMLInputElement>) =>
                setState({ ...state, apiToken: event.target.value.trim() })
              }
              onReset={() => setState({ ...state, apiToken: '', isApiTokenSet: false })}
            />
          </Field>

          <Field
            label="API write token (optional)"
            description="Only when the collector sets QUASAR_API_WRITE_TOKEN: retry and delete then go with this token. Empty: they go with the API token."
          >
            <SecretInput
              width={60}
              id="config-api-write-token"
              name="apiWriteToken"
              data-testid={testIds.appConfig.apiWriteToken}
              value={state.apiWriteToken}
              isConfigured={state.isApiWriteTokenSet}
              placeholder="QUASAR_API_WRITE_TOKEN"
              onChange={(event: ChangeEvent<HTMLInputElement>) =>
                setState({ ...state, apiWriteToken: event.target.value.trim() })
              }
              onReset={() => setState({ ...state, apiWriteToken: '', isApiWriteTokenSet: false })}
            />
          </Field>

          <Field
            label="Read-only mode"
            description="Nobody can retry, delete, inspect, pause or promote from Grafana, whatever their role: the pages show no action, and the command routes tell the collector to refuse every command (X-Quasar-Read-Only). Reading is unchanged."
          >
            <Switch
              id="config-read-only"
              data-testid={testIds.appConfig.readOnly}
              value={state.readOnly}
              onChange={(event: FormEvent<HTMLInputElement>) =>
                setState({ ...state, readOnly: event.currentTarget.checked })
              }
            />
          </Field>

          <Stack gap={1}>
            <Button type="submit" data-testid={testIds.appConfig.submit} disabled={saveDisabled}>
              Save settings
            </Button>
            <Button
              variant="secondary"
              icon={checking ? 'spinner' : 'heart-rate'}
              data-testid={testIds.appConfig.testConnection}
              disabled={checking || !jsonData?.collectorUrl}
              tooltip="Tests the saved settings through Grafana's proxy"
              onClick={() => void onTestConnection()}
            >
              Test connection
            </Button>
          </Stack>
        </FieldSet>
      </form>

      {saveError && (
        <Alert severity="error" title="Settings not saved">
          {saveError}
        </Alert>
      )}
      {check && (
        <div data-testid={testIds.appConfig.testResult} className={s.section}>
          <Alert severity={check.ok ? 'success' : 'error'} title={check.ok ? 'Connected' : 'Connection failed'}>
            {check.message}
          </Alert>
        </div>
      )}
    </div>
  );
};

export default AppConfig;

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({
    marginTop: theme.spacing(3),
  }),
});
