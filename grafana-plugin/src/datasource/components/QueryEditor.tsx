import React, { type ChangeEvent } from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import type { QuasarDataSource } from '../datasource';
import { QUERY_DEFINITIONS } from '../queries';
import { DEFAULT_QUERY, type QuasarDataSourceOptions, type QuasarQuery, type QueryType } from '../types';

type Props = QueryEditorProps<QuasarDataSource, QuasarQuery, QuasarDataSourceOptions>;

const TYPE_OPTIONS: Array<SelectableValue<QueryType>> = Object.entries(QUERY_DEFINITIONS).map(
  ([value, definition]) => ({ value: value as QueryType, label: definition.label, description: definition.description })
);

/** Picks the query type, and for the slow log and audit the service filter and limit. */
export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const queryType = query.queryType ?? DEFAULT_QUERY.queryType;
  const definition = QUERY_DEFINITIONS[queryType as QueryType];

  const change = (next: QuasarQuery) => {
    onChange(next);
    onRunQuery();
  };

  return (
    <InlineFieldRow>
      <InlineField label="Query" labelWidth={10}>
        <RadioButtonGroup<QueryType>
          data-testid={testIds.datasource.queryType}
          options={TYPE_OPTIONS}
          value={queryType}
          onChange={(value) => change({ ...query, queryType: value })}
        />
      </InlineField>
      {definition?.takesService && (
        <InlineField label="Service" labelWidth={10} tooltip="Empty for every service; template variables work">
          <Input
            width={24}
            data-testid={testIds.datasource.service}
            value={query.service ?? ''}
            placeholder="all services"
            onChange={(event: ChangeEvent<HTMLInputElement>) => onChange({ ...query, service: event.target.value })}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
      {definition?.takesLimit && (
        <InlineField label="Limit" labelWidth={8}>
          <Input
            width={10}
            type="number"
            min={1}
            max={1000}
            data-testid={testIds.datasource.limit}
            value={query.limit ?? ''}
            placeholder="default"
            onChange={(event: ChangeEvent<HTMLInputElement>) => {
              const limit = Number.parseInt(event.target.value, 10);
              onChange({ ...query, limit: Number.isFinite(limit) && limit > 0 ? limit : undefined });
            }}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}
