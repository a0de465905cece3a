import React, { type ReactNode } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Combobox, FilterInput, InlineField, Input, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import type { SlowFilter } from './slowRows';

/** How far back the collector reads, in ms; `0` reads the whole retained stream. */
export const WINDOWS = [
  { label: '1h', value: 3_600_000 },
  { label: '6h', value: 21_600_000 },
  { label: '24h', value: 86_400_000 },
  { label: 'All', value: 0 },
];

const KINDS: Array<{ label: string; value: SlowFilter['kind'] }> = [
  { label: 'All', value: '' },
  { label: 'Requests', value: 'request' },
  { label: 'Jobs', value: 'job' },
];

interface Props {
  filter: SlowFilter;
  onChange: (filter: SlowFilter) => void;
  /** Services offered in the service picker. */
  services: readonly string[];
  windowMs: number;
  onWindowChange: (windowMs: number) => void;
  /** Shown at the end of the row, e.g. a refresh button. */
  actions?: ReactNode;
  /** Whether the time window applies (the groups cover all the collector consumed). @default true */
  showWindow?: boolean;
}

/** The slow log's filters: time window and service (read by the collector), kind, duration, name. */
export function SlowFilters({
  filter,
  onChange,
  services,
  windowMs,
  onWindowChange,
  actions,
  showWindow = true,
}: Props) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.row}>
      {showWindow && (
        <InlineField label="Window">
          <RadioButtonGroup options={WINDOWS} value={windowMs} onChange={onWindowChange} />
        </InlineField>
      )}
      <InlineField label="Service">
        <Combobox
          id="quasar-slow-service"
          data-testid={testIds.slowLog.service}
          width={24}
          placeholder="All services"
          isClearable
          options={services.map((service) => ({ value: service }))}
          value={filter.service || null}
          onChange={(option) => onChange({ ...filter, service: option?.value ?? '' })}
        />
      </InlineField>
      <InlineField label="Kind">
        <RadioButtonGroup options={KINDS} value={filter.kind} onChange={(kind) => onChange({ ...filter, kind })} />
      </InlineField>
      <InlineField label="At least" tooltip="Only entries that took at least this long">
        <Input
          data-testid={testIds.slowLog.minDuration}
          type="number"
          min={0}
          width={14}
          suffix="ms"
          placeholder="any"
          value={filter.minDurationMs ?? ''}
          onChange={(event) => {
            const value = event.currentTarget.valueAsNumber;
            onChange({ ...filter, minDurationMs: Number.isFinite(value) ? value : undefined });
          }}
        />
      </InlineField>
      <div className={s.search}>
        <FilterInput
          data-testid={testIds.slowLog.search}
          escapeRegex={false}
          placeholder="Search names, e.g. POST /orders"
          value={filter.text}
          onChange={(text) => onChange({ ...filter, text })}
        />
      </div>
      {actions}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    columnGap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  }),
  search: css({
    flex: '1 1 240px',
    minWidth: 240,
  }),
});
