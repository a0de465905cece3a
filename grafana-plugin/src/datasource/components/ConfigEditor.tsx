import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Alert, LinkButton } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { PLUGIN_ID } from '../../constants';
import type { QuasarDataSourceOptions } from '../types';

type Props = DataSourcePluginOptionsEditorProps<QuasarDataSourceOptions>;

/**
 * The data source keeps no settings: it reads through the Quasar app's proxy route, so the
 * collector URL and token are set once, on the app's configuration page.
 */
export function ConfigEditor(_props: Props) {
  return (
    <div data-testid={testIds.datasource.configInfo}>
      <Alert severity="info" title="Connection comes from the Quasar app">
        This data source reads the collector through the Quasar app. Set the collector URL and API token on the
        app&apos;s configuration page, then use &quot;Save &amp; test&quot; here to check the connection.
        <div>
          <LinkButton href={`plugins/${PLUGIN_ID}`} variant="secondary" fill="text" icon="cog">
            Open the app configuration
          </LinkButton>
        </div>
      </Alert>
    </div>
  );
}
