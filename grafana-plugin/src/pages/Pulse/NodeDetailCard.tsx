import React from 'react';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { NodeCard, type UsageThresholds } from '../../components/NodeCard';
import { QueueSection } from '../../components/QueueSection';
import { testIds } from '../../components/testIds';
import type { PulseNode } from '../../pulse/node';
import { withServicePauses } from '../../pulse/queue-pauses';
import { useNodeDetail } from './useNodeDetail';

/** Props of {@link NodeDetailCard}. */
export interface NodeDetailCardProps {
  /** The tile's node, a summary. */
  node: PulseNode;
  cpuThresholds?: UsageThresholds;
  memoryThresholds?: UsageThresholds;
  /** The service's queues from the collector: who paused a queue comes with them. */
  serviceQueues?: readonly unknown[];
}

/**
 * The card a summary tile opens: the whole node and its queues (with their actions), read from
 * the collector; a failed read is an error inside the card, never the page's.
 */
export function NodeDetailCard({ node, cpuThresholds, memoryThresholds, serviceQueues }: NodeDetailCardProps) {
  const detail = useNodeDetail(node);
  if (detail.state === 'loading') {
    return (
      <div data-testid={testIds.overview.cardLoading}>
        <LoadingPlaceholder text={`Reading ${node.id}…`} />
      </div>
    );
  }
  if (detail.state === 'error') {
    return (
      <div data-testid={testIds.overview.cardError}>
        <Alert severity="error" title={`Could not read ${node.id}`}>
          {detail.message}
        </Alert>
      </div>
    );
  }
  return (
    <NodeCard node={detail.node} thresholds={cpuThresholds} memoryThresholds={memoryThresholds}>
      <QueueSection
        service={detail.node.service}
        nodeId={detail.node.id}
        queues={withServicePauses(detail.queues, serviceQueues)}
      />
    </NodeCard>
  );
}
