import React from 'react';
import { render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';
import { testIds } from '../../components/testIds';
import type { QuasarDataSourceOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';

describe('ConfigEditor', () => {
  it('sends the user to the app configuration, where the connection lives', () => {
    render(
      <ConfigEditor
        options={{ jsonData: {} } as unknown as DataSourceSettings<QuasarDataSourceOptions>}
        onOptionsChange={jest.fn()}
      />
    );
    expect(screen.getByTestId(testIds.datasource.configInfo)).toHaveTextContent('Connection comes from the Quasar app');
    expect(screen.getByRole('link', { name: /open the app configuration/i })).toHaveAttribute(
      'href',
      'plugins/gravito-quasar-app'
    );
  });
});
