import React, { memo, useState, type ReactNode } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';
import type { UsageThresholds } from '../../components/NodeCard';
import { testIds } from '../../components/testIds';
import type { PulseNode } from '../../pulse/node';
import { LazyNodeCard } from './LazyNodeCard';

/**
 * Cards per service before "show more", which keeps the DOM small for 1,000 nodes. Within a
 * page, only cards near the viewport render (`LazyNodeCard`); cards differ in height (checks,
 * Laravel workers, queues), so each keeps a placeholder of its measured height rather than a
 * grid virtualiser re-measuring every card on every update.
 */
export const GROUP_PAGE_SIZE = 60;

/** Props of {@link ServiceGroup}. */
export interface ServiceGroupProps {
  service: string;
  nodes: PulseNode[];
  checkDown: boolean;
  /** The card's slot for one node; must return the same element while the node is unchanged. */
  renderSlot?: (node: PulseNode) => ReactNode;
  /** CPU usage levels for the cards; the card's defaults when unset. Memoise it. */
  cpuThresholds?: UsageThresholds;
  /** Memory usage levels for the cards; the card's defaults when unset. Memoise it. */
  memoryThresholds?: UsageThresholds;
}

/** One service: its name, node count and a red marker when a check is down, then its cards. */
function ServiceGroupView({
  service,
  nodes,
  checkDown,
  renderSlot,
  cpuThresholds,
  memoryThresholds,
}: ServiceGroupProps) {
  const s = useStyles2(getStyles);
  const [limit, setLimit] = useState(GROUP_PAGE_SIZE);
  const shown = nodes.length > limit ? nodes.slice(0, limit) : nodes;
  const rest = nodes.length - shown.length;

  return (
    <section className={s.group} data-testid={testIds.pulse.group} data-service={service} aria-label={service}>
      <h3 className={s.title}>
        {checkDown && (
          <span
            className={s.down}
            data-testid={testIds.pulse.groupCheckDown}
            title="A check is down on a node of this service"
            aria-label="check down"
          />
        )}
        <span>{service || '(no service)'}</span>
        <span className={s.count} data-testid={testIds.pulse.groupCount}>
          {nodes.length} {nodes.length === 1 ? 'node' : 'nodes'}
        </span>
      </h3>
      <div className={s.grid}>
        {shown.map((node) => (
          // The node id keeps each card's element across updates, so React diffs it in place.
          <LazyNodeCard key={node.id} node={node} thresholds={cpuThresholds} memoryThresholds={memoryThresholds}>
            {renderSlot?.(node)}
          </LazyNodeCard>
        ))}
      </div>
      {rest > 0 && (
        <Button
          className={s.more}
          data-testid={testIds.pulse.showMore}
          variant="secondary"
          size="sm"
          onClick={() => setLimit((n) => n + GROUP_PAGE_SIZE)}
        >
          Show {Math.min(rest, GROUP_PAGE_SIZE)} more of {rest}
        </Button>
      )}
    </section>
  );
}

/** A service group, memoised so an update elsewhere leaves it alone. */
export const ServiceGroup = memo(ServiceGroupView);
ServiceGroup.displayName = 'ServiceGroup';

const getStyles = (theme: GrafanaTheme2) => ({
  group: css({ marginBottom: theme.spacing(3) }),
  title: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    fontSize: theme.typography.h5.fontSize,
    marginBottom: theme.spacing(1),
  }),
  count: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: theme.typography.fontWeightRegular,
  }),
  down: css({
    width: theme.spacing(1),
    height: theme.spacing(1),
    borderRadius: theme.shape.radius.circle,
    background: theme.colors.error.main,
  }),
  grid: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))',
    gap: theme.spacing(1.5),
  }),
  more: css({ marginTop: theme.spacing(1.5) }),
});
