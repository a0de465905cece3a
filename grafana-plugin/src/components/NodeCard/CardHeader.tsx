import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { NodeStatus, PulseNode } from '../../pulse/node';
import { testIds } from '../testIds';
import { formatMs, formatUptime } from './format';
import { RuntimeIcon } from './RuntimeIcon';

/** Props of {@link CardHeader}. */
export interface CardHeaderProps {
  node: PulseNode;
}

/**
 * Who the node is and whether it reports. The status is the collector's verdict from the Redis
 * clock; the browser's clock never decides it, since it may be skewed from the agents'.
 */
export function CardHeader({ node }: CardHeaderProps) {
  const s = useStyles2(getStyles);
  const details = [node.hostname, node.platform, node.pid !== null ? `PID ${node.pid}` : null].filter(
    (d): d is string => Boolean(d)
  );
  return (
    <div className={s.header}>
      <RuntimeIcon language={node.language} version={node.version} />
      <div className={s.identity}>
        <div className={s.id} title={node.id}>
          {node.id}
        </div>
        <div className={s.details}>{details.join(' · ')}</div>
      </div>
      <div className={s.side}>
        <span
          className={`${s.badge} ${s[node.status]}`}
          data-testid={testIds.nodeCard.status}
          data-status={node.status}
          title={node.ageMs !== null ? `Last beat ${formatMs(node.ageMs)} ago by the collector's clock` : undefined}
        >
          {STATUS_TEXT[node.status]}
        </span>
        <span className={s.uptime} data-testid={testIds.nodeCard.uptime} title="Process uptime">
          up {formatUptime(node.uptimeSeconds)}
        </span>
      </div>
    </div>
  );
}

const STATUS_TEXT: Record<NodeStatus, string> = {
  online: 'online',
  stale: 'stale',
  offline: 'offline',
  unknown: 'unknown',
};

const getStyles = (theme: GrafanaTheme2) => {
  const badge = (color: string) => css({ color, borderColor: color });
  return {
    header: css({ display: 'flex', alignItems: 'flex-start', gap: theme.spacing(1) }),
    identity: css({ minWidth: 0, flex: 1 }),
    id: css({
      fontWeight: theme.typography.fontWeightMedium,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
    }),
    details: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
    side: css({ display: 'flex', flexDirection: 'column', alignItems: 'flex-end', gap: theme.spacing(0.25) }),
    badge: css({
      border: `1px solid`,
      borderRadius: theme.shape.radius.pill,
      padding: theme.spacing(0, 0.75),
      fontSize: theme.typography.bodySmall.fontSize,
      lineHeight: theme.typography.bodySmall.lineHeight,
    }),
    online: badge(theme.colors.success.text),
    stale: badge(theme.colors.warning.text),
    offline: badge(theme.colors.error.text),
    unknown: badge(theme.colors.text.secondary),
    uptime: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  };
};
