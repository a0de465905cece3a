import React from 'react';
import fc from 'fast-check';
import { cleanup, render, screen } from '@testing-library/react';
import { field } from '../../api/read';
import { readNode } from '../../pulse/node';
import { fuzzParameters } from '../../testing/fuzz';
import { hostileJson, mutated, type Path } from '../../testing/hostileJson';
import { wellFormedNode, wellFormedQueue } from '../../testing/wellFormed';
import { QueueSection } from '../QueueSection';
import { testIds } from '../testIds';
import { NodeCard } from './NodeCard';

const PATHS: Path[] = [
  ['cpu', 'system'], ['cpu', 'process'], ['cpu', 'cores'], ['memory', 'system', 'total'], ['memory', 'system', 'used'],
  ['memory', 'process', 'rss'], ['runtime', 'uptime'], ['eventLoop', 'p99'], ['container', 'cpuQuota'],
  ['checks', 0, 'latencyMs'], ['checks', 0, 'certDaysLeft'], ['meta', 'laravel', 'workers', 0, 'memory'],
  ['queues', 0, 'failedSample', 0, 'failedAt'], ['queues', 0, 'size', 'waiting'], ['queues', 0, 'oldestWaitingAgeMs'],
]; // prettier-ignore

/** A node with queues as an agent might send it: valid, with hostile values in the places the card shows. */
const anyBeat = mutated(
  fc.tuple(wellFormedNode(), fc.array(wellFormedQueue(), { maxLength: 3 })).map(([node, queues]) => ({
    ...node.raw,
    queues: queues.map((q) => q.raw),
  })),
  PATHS,
  ['id', 'failedAt', 'waiting']
);

describe('NodeCard, for any node a reader returns', () => {
  it('renders the card itself, queues and failed jobs included, never the fallback', () => {
    fc.assert(
      fc.property(fc.oneof(anyBeat, hostileJson(['id', 'cpu', 'memory', 'checks', 'queues'])), (beat) => {
        const node = readNode(beat) ?? readNode({ id: 'n' })!;
        const queues = field(beat, 'queues');
        try {
          render(
            <NodeCard node={node}>
              <QueueSection service={node.service} nodeId={node.id} queues={Array.isArray(queues) ? queues : []} />
            </NodeCard>
          );
          expect(screen.queryByTestId(testIds.nodeCard.fallback)).not.toBeInTheDocument();
          expect(screen.getByTestId(testIds.nodeCard.card)).toBeInTheDocument();
        } finally {
          cleanup();
        }
      }),
      // A render costs as much as a thousand reads: a quarter of the budget.
      fuzzParameters(0.25)
    );
  });
});
