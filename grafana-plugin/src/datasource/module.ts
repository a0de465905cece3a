import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { QuasarDataSource } from './datasource';
import type { QuasarDataSourceOptions, QuasarQuery } from './types';

/** The nested Quasar data source. */
export const plugin = new DataSourcePlugin<QuasarDataSource, QuasarQuery, QuasarDataSourceOptions>(QuasarDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
