/**
 * A node card rendered only while near the viewport; elsewhere a placeholder of the card's last
 * measured height keeps the grid and the scroll position as they were. With 1,000 nodes a full
 * update (every node beat again) renders the few dozen cards on screen, not all of them, and
 * the browser lays out placeholders instead of 1,000 cards.
 */
import React, { memo, useRef } from 'react';
import { css } from '@emotion/css';
import { useStyles2 } from '@grafana/ui';
import { NodeCard, type NodeCardProps } from '../../components/NodeCard';
import { testIds } from '../../components/testIds';
import { useNearViewport } from './useNearViewport';

/** A card's height before it was ever measured: the common card with one queue. */
export const ESTIMATED_CARD_HEIGHT = 320;

function LazyNodeCardView(props: NodeCardProps) {
  const s = useStyles2(getStyles);
  const ref = useRef<HTMLDivElement>(null);
  // The height the card had as it left the viewport, so the placeholder takes its place exactly.
  const { near, height } = useNearViewport(ref);
  return (
    <div ref={ref} className={s.slot}>
      {near ? (
        <NodeCard {...props} />
      ) : (
        <div
          className={s.placeholder}
          style={{ height: height || ESTIMATED_CARD_HEIGHT }}
          data-testid={testIds.pulse.cardPlaceholder}
          data-node-id={props.node.id}
          aria-label={`Node ${props.node.id}`}
        />
      )}
    </div>
  );
}

/** Memoised like the card: an unchanged node and slot skip rendering altogether. */
export const LazyNodeCard = memo(LazyNodeCardView);
LazyNodeCard.displayName = 'LazyNodeCard';

const getStyles = () => ({
  // A grid of its own, so the card stretches to the row's height as it did as a grid item.
  slot: css({ display: 'grid' }),
  placeholder: css({ contain: 'strict' }),
});
