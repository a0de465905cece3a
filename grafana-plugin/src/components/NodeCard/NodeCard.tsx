import React, { memo, type ReactNode } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { PulseNode } from '../../pulse/node';
import { CardBoundary } from '../ErrorBoundary';
import { testIds } from '../testIds';
import { CardHeader } from './CardHeader';
import { ChecksList } from './ChecksList';
import { formatBytes, formatMs, formatPercent, percentOf } from './format';
import { LaravelWorkers } from './LaravelWorkers';
import { DEFAULT_CERT_WARNING_DAYS, DEFAULT_THRESHOLDS, type UsageThresholds, usageLevel } from './types';
import { UsageBar } from './UsageBar';

/** Props of {@link NodeCard}. */
export interface NodeCardProps {
  node: PulseNode;
  /** CPU and memory usage levels in percent; the panel options set them. */
  thresholds?: UsageThresholds;
  /** Memory usage levels in percent, when they differ from `thresholds`. */
  memoryThresholds?: UsageThresholds;
  /** Days left on a certificate under which a check shows a warning. */
  certWarningDays?: number;
  /**
   * The queues section, slotted in by its own component. The card re-renders only when this
   * element's identity changes, so the owner should memoise it.
   */
  children?: ReactNode;
  /** Anything the page adds at the bottom of the card (actions, links); memoise it as well. */
  footer?: ReactNode;
}

/** One node: identity and status, CPU and memory, availability checks and Laravel workers. */
function NodeCardView({
  node,
  thresholds = DEFAULT_THRESHOLDS,
  memoryThresholds = thresholds,
  certWarningDays = DEFAULT_CERT_WARNING_DAYS,
  children,
  footer,
}: NodeCardProps) {
  const s = useStyles2(getStyles);
  const checkDown = node.checks.some((c) => !c.up);
  const { cpu, memory, container } = node;
  const rssPercent = percentOf(memory.rssBytes, memory.totalBytes);
  const usedPercent = percentOf(memory.usedBytes, memory.totalBytes);
  const cpuScope = container?.cpuQuotaCores != null ? 'of CPU quota' : 'of machine';
  const memoryScope = container?.memoryLimitBytes != null ? 'limit' : 'total';

  return (
    <article
      className={cx(s.card, node.status !== 'online' && s[node.status], checkDown && s.down)}
      data-testid={testIds.nodeCard.card}
      data-node-id={node.id}
      data-status={node.status}
      data-check-down={checkDown ? 'true' : undefined}
      aria-label={`Node ${node.id}`}
    >
      <CardHeader node={node} />

      {node.runtimeErrors.length > 0 && (
        <div className={s.note} title="Readings the agent could not take">
          {node.runtimeStatus ?? 'degraded'}: {node.runtimeErrors.join(', ')}
        </div>
      )}

      <section className={s.section} aria-label="CPU">
        <div className={s.heading}>
          CPU{cpu.cores !== null && <span className={s.muted}> · {cpu.cores} cores</span>}
        </div>
        <UsageBar
          label="Process"
          percent={cpu.processPercent}
          caption={`${formatPercent(cpu.processPercent)} of one core`}
          level={usageLevel(cpu.processPercent, thresholds)}
          testId={testIds.nodeCard.cpuProcess}
        />
        <UsageBar
          label="System"
          percent={cpu.systemPercent}
          caption={`${formatPercent(cpu.systemPercent)} ${cpuScope}`}
          level={usageLevel(cpu.systemPercent, thresholds)}
          testId={testIds.nodeCard.cpuSystem}
        />
      </section>

      <section className={s.section} aria-label="Memory">
        <div className={s.heading}>RAM</div>
        <UsageBar
          label="Process RSS"
          percent={rssPercent}
          caption={`${formatBytes(memory.rssBytes)} of ${formatBytes(memory.totalBytes)}`}
          level={usageLevel(rssPercent, memoryThresholds)}
          testId={testIds.nodeCard.ramProcess}
        />
        <UsageBar
          label="System used"
          percent={usedPercent}
          caption={`${formatBytes(memory.usedBytes)} of ${formatBytes(memory.totalBytes)} ${memoryScope} (${formatPercent(usedPercent)})`}
          level={usageLevel(usedPercent, memoryThresholds)}
          testId={testIds.nodeCard.ramSystem}
        />
        <div className={s.facts}>
          {memory.heapUsedBytes !== null && (
            <span data-testid={testIds.nodeCard.heap}>
              heap {formatBytes(memory.heapUsedBytes)} / {formatBytes(memory.heapTotalBytes)}
            </span>
          )}
          {node.eventLoop?.p99Ms != null && (
            <span
              data-testid={testIds.nodeCard.eventLoop}
              title="Event-loop delay, 99th percentile over the last interval"
            >
              event loop p99 {formatMs(node.eventLoop.p99Ms)}
            </span>
          )}
        </div>
      </section>

      {container && (
        <div className={s.note} data-testid={testIds.nodeCard.container}>
          Container limits:{' '}
          {[
            container.memoryLimitBytes !== null ? `${formatBytes(container.memoryLimitBytes)} memory` : null,
            container.cpuQuotaCores !== null ? `${container.cpuQuotaCores} CPU cores` : null,
          ]
            .filter(Boolean)
            .join(', ')}
          ; system figures are relative to them.
        </div>
      )}

      <ChecksList checks={node.checks} certWarningDays={certWarningDays} />

      {node.laravel && <LaravelWorkers laravel={node.laravel} />}

      {children != null && <div data-testid={testIds.nodeCard.slot}>{children}</div>}
      {footer != null && (
        <div className={s.footer} data-testid={testIds.nodeCard.footer}>
          {footer}
        </div>
      )}
    </article>
  );
}

function sameThresholds(a: UsageThresholds = DEFAULT_THRESHOLDS, b: UsageThresholds = DEFAULT_THRESHOLDS): boolean {
  return a.warning === b.warning && a.critical === b.critical;
}

/**
 * Whether a card may skip a render: the same node (identity and last beat), the same server
 * verdict, and the same options and slots. A fresh beat always changes `lastSeenAt`; the status
 * can change without one (a node goes stale), so it is compared too.
 */
export function nodeCardPropsEqual(prev: Readonly<NodeCardProps>, next: Readonly<NodeCardProps>): boolean {
  const a = prev.node;
  const b = next.node;
  return (
    (a === b || (a.id === b.id && a.service === b.service && a.lastSeenAt === b.lastSeenAt && a.status === b.status)) &&
    sameThresholds(prev.thresholds, next.thresholds) &&
    sameThresholds(prev.memoryThresholds ?? prev.thresholds, next.memoryThresholds ?? next.thresholds) &&
    prev.certWarningDays === next.certWarningDays &&
    prev.children === next.children &&
    prev.footer === next.footer
  );
}

/**
 * The card inside its own error boundary: a card that cannot render says which node and why,
 * and the cards around it render as usual.
 */
function GuardedNodeCard(props: NodeCardProps) {
  return (
    <CardBoundary node={props.node}>
      <NodeCardView {...props} />
    </CardBoundary>
  );
}

/** The node card, memoised so an update re-renders only the cards whose node changed. */
export const NodeCard = memo(GuardedNodeCard, nodeCardPropsEqual);
NodeCard.displayName = 'NodeCard';

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(1.5),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    minWidth: 0,
  }),
  stale: css({ borderColor: theme.colors.warning.border }),
  offline: css({ borderColor: theme.colors.error.border, opacity: 0.8 }),
  unknown: css({}),
  down: css({
    borderColor: theme.colors.error.border,
    boxShadow: `inset ${theme.spacing(0.5)} 0 0 ${theme.colors.error.main}`,
  }),
  section: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  heading: css({ fontSize: theme.typography.bodySmall.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  muted: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular }),
  facts: css({
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(1.5),
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  note: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  footer: css({ borderTop: `1px solid ${theme.colors.border.weak}`, paddingTop: theme.spacing(1) }),
});
