import React, { memo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { Button, Icon, Input, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import type { OverviewMetric } from '../../components/FleetOverview';
import type { StatusFilter } from './filterNodes';
import type { PulseLayout } from './layout';
import type { Transport } from './usePulseData';

/** Props of {@link PulseToolbar}. */
export interface PulseToolbarProps {
  search: string;
  onSearchChange: (search: string) => void;
  status: StatusFilter;
  onStatusChange: (status: StatusFilter) => void;
  paused: boolean;
  onPausedChange: (paused: boolean) => void;
  transport: Transport;
  /** Nodes shown after filtering, and in all. */
  shown: number;
  total: number;
  /** The layout shown; choosing one makes it the user's explicit choice. */
  layout: PulseLayout;
  onLayoutChange: (layout: PulseLayout) => void;
  /** What the overview's tiles show; offered only with the overview. */
  metric: OverviewMetric;
  onMetricChange: (metric: OverviewMetric) => void;
}

const STATUS_OPTIONS: Array<SelectableValue<StatusFilter>> = [
  { label: 'All', value: 'all' },
  { label: 'Online', value: 'online' },
  { label: 'Stale', value: 'stale' },
  { label: 'Offline', value: 'offline' },
];

const LAYOUT_OPTIONS: Array<SelectableValue<PulseLayout>> = [
  { label: 'Cards', value: 'cards', icon: 'apps' },
  { label: 'Overview', value: 'overview', icon: 'gf-grid' },
];

const METRIC_OPTIONS: Array<SelectableValue<OverviewMetric>> = [
  { label: 'CPU', value: 'cpu' },
  { label: 'Memory', value: 'memory' },
];

/** Search, status filter, layout, and whether live updates are applied. */
function PulseToolbarView(props: PulseToolbarProps) {
  const s = useStyles2(getStyles);
  const { paused, transport } = props;
  const live = transport === 'stream' ? 'Live' : `Live (polling every 5 s)`;
  return (
    <div className={s.toolbar}>
      <div className={s.search}>
        <Input
          data-testid={testIds.pulse.search}
          prefix={<Icon name="search" />}
          placeholder="Search service, node, host or runtime"
          aria-label="Search nodes"
          value={props.search}
          onChange={(event) => props.onSearchChange(event.currentTarget.value)}
        />
      </div>
      <div data-testid={testIds.pulse.statusFilter}>
        <RadioButtonGroup
          aria-label="Node status"
          options={STATUS_OPTIONS}
          value={props.status}
          onChange={(value) => props.onStatusChange(value)}
        />
      </div>
      <div data-testid={testIds.pulse.layout}>
        <RadioButtonGroup
          aria-label="Layout"
          options={LAYOUT_OPTIONS}
          value={props.layout}
          onChange={(value) => props.onLayoutChange(value)}
        />
      </div>
      {props.layout === 'overview' && (
        <div data-testid={testIds.pulse.metric}>
          <RadioButtonGroup
            aria-label="Tile fill"
            options={METRIC_OPTIONS}
            value={props.metric}
            onChange={(value) => props.onMetricChange(value)}
          />
        </div>
      )}
      <span className={s.count}>
        {props.shown === props.total
          ? `${props.total} ${props.total === 1 ? 'node' : 'nodes'}`
          : `${props.shown} of ${props.total} ${props.total === 1 ? 'node' : 'nodes'}`}
      </span>
      <span
        className={paused ? s.paused : s.live}
        data-testid={testIds.pulse.liveState}
        data-state={paused ? 'paused' : 'live'}
        role="status"
      >
        <Icon name={paused ? 'pause' : 'circle-mono'} size="xs" /> {paused ? 'Paused' : live}
      </span>
      <Button
        data-testid={testIds.pulse.liveToggle}
        variant="secondary"
        size="sm"
        icon={paused ? 'play' : 'pause'}
        onClick={() => props.onPausedChange(!paused)}
      >
        {paused ? 'Resume' : 'Pause'}
      </Button>
    </div>
  );
}

/** The toolbar, memoised: a snapshot that changes no count leaves it alone. */
export const PulseToolbar = memo(PulseToolbarView);
PulseToolbar.displayName = 'PulseToolbar';

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1, 2),
    marginBottom: theme.spacing(2),
  }),
  search: css({ flex: '1 1 240px', maxWidth: 420 }),
  count: css({ color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums' }),
  live: css({ color: theme.colors.success.text, marginLeft: 'auto' }),
  paused: css({ color: theme.colors.warning.text, marginLeft: 'auto' }),
});
