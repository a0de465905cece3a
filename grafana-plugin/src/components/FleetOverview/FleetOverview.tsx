import React, { useCallback, useState, type ReactNode } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { ServiceNodes } from '../../pages/Pulse/filterNodes';
import { nodeKey, type QueuesByNode, type QueuesByService } from '../../pages/Pulse/usePulseData';
import type { PulseNode } from '../../pulse/node';
import type { UsageThresholds } from '../NodeCard';
import { testIds } from '../testIds';
import { OverviewGroup } from './OverviewGroup';
import type { OverviewMetric } from './summary';

/** Props of {@link FleetOverview}. */
export interface FleetOverviewProps {
  /** The nodes shown, grouped by service, in order. */
  groups: readonly ServiceNodes[];
  /** Every node's raw heartbeat queues, for the totals of a service missing from `serviceQueues`. */
  queues?: QueuesByNode;
  /** Each service's queues as the collector lists them (each queue once), for the rows' totals. */
  serviceQueues?: QueuesByService;
  /** What a tile's fill shows. */
  metric: OverviewMetric;
  /** The open card's queues slot, as the cards view fills it. */
  renderSlot?: (node: PulseNode) => ReactNode;
  /** Renders the open card instead of the node's own card (see `OverviewGroupProps`). Keep it stable. */
  renderCard?: (node: PulseNode) => ReactNode;
  cpuThresholds?: UsageThresholds;
  memoryThresholds?: UsageThresholds;
}

interface Selection {
  service: string;
  id: string;
}

/**
 * The whole fleet on one screen: a row per service, side by side as the width allows, with a
 * small tile per node coloured by the collector's verdict and filled to its CPU or memory use. A
 * tile opens the node's card; one card is open at a time, so only its row follows every update
 * while the others render only when their nodes change.
 */
export function FleetOverview({
  groups,
  queues,
  serviceQueues,
  metric,
  renderSlot,
  renderCard,
  cpuThresholds,
  memoryThresholds,
}: FleetOverviewProps) {
  const s = useStyles2(getStyles);
  const queuesOf = useCallback((node: PulseNode) => queues?.get(nodeKey(node.service, node.id)), [queues]);
  const [selection, setSelection] = useState<Selection | null>(null);
  const onSelect = useCallback(
    (service: string, id: string | null) => setSelection(id === null ? null : { service, id }),
    []
  );

  return (
    <div className={s.root} data-testid={testIds.overview.root}>
      {groups.map((group) => {
        const open = selection !== null && selection.service === group.service;
        return (
          <OverviewGroup
            key={group.service}
            service={group.service}
            nodes={group.nodes}
            checkDown={group.checkDown}
            queuesOf={queuesOf}
            serviceQueues={serviceQueues?.get(group.service)}
            metric={metric}
            selectedId={open ? selection.id : undefined}
            onSelect={onSelect}
            renderSlot={open ? renderSlot : undefined}
            renderCard={open ? renderCard : undefined}
            cpuThresholds={cpuThresholds}
            memoryThresholds={memoryThresholds}
          />
        );
      })}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', gap: theme.spacing(1) }),
});
