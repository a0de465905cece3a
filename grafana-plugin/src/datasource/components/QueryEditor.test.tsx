import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../../components/testIds';
import type { QuasarDataSource } from '../datasource';
import type { QuasarQuery } from '../types';
import { QueryEditor } from './QueryEditor';

function renderEditor(query: QuasarQuery) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <QueryEditor
      query={query}
      onChange={onChange}
      onRunQuery={onRunQuery}
      datasource={{} as unknown as QuasarDataSource}
    />
  );
  return { onChange, onRunQuery };
}

describe('QueryEditor', () => {
  it('offers the four query types and runs the query when one is picked', async () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'nodes' });
    for (const label of ['Nodes', 'Queues', 'Slow log', 'Commands (audit)']) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }

    await userEvent.click(screen.getByLabelText('Queues'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'queues' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('shows no service or limit for nodes', () => {
    renderEditor({ refId: 'A', queryType: 'nodes' });
    expect(screen.queryByTestId(testIds.datasource.service)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.datasource.limit)).not.toBeInTheDocument();
  });

  it('edits the service filter and limit of the slow log', async () => {
    const { onChange } = renderEditor({ refId: 'A', queryType: 'slow' });
    await userEvent.type(screen.getByTestId(testIds.datasource.service), 'c');
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'slow', service: 'c' });

    await userEvent.type(screen.getByTestId(testIds.datasource.limit), '5');
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'slow', limit: 5 });
  });

  it('offers a limit but no service filter for the audit', () => {
    renderEditor({ refId: 'A', queryType: 'audit' });
    expect(screen.getByTestId(testIds.datasource.limit)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.datasource.service)).not.toBeInTheDocument();
  });
});
