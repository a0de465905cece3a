import React, { type ReactNode } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { ErrorBoundary, Icon, useStyles2 } from '@grafana/ui';
import { field, id } from '../../api/read';
import { testIds } from '../testIds';
import { errorMessage } from './errorMessage';

/** Props of {@link CardBoundary}. */
export interface CardBoundaryProps {
  /** The node the card shows: named in the fallback, and a new one renders the card again. */
  node: unknown;
  children: ReactNode;
}

/**
 * Keeps one node card's failure to that card: the card is replaced by a small one saying which
 * node could not be shown and why, and the rest of the page renders. The next beat of the node
 * (a new node object) tries the card again. Grafana reports the error as it does its own.
 */
export function CardBoundary({ node, children }: CardBoundaryProps) {
  return (
    <ErrorBoundary boundaryName="quasar-node-card" dependencies={[node]}>
      {({ error }) => (error ? <CardFallback nodeId={id(field(node, 'id'))} error={error} /> : children)}
    </ErrorBoundary>
  );
}

/** Props of {@link CardFallback}. */
export interface CardFallbackProps {
  nodeId: string | null;
  error: unknown;
}

/** The card shown in place of one that could not render. */
export function CardFallback({ nodeId, error }: CardFallbackProps) {
  const s = useStyles2(getStyles);
  return (
    <article
      className={s.card}
      role="alert"
      data-testid={testIds.nodeCard.fallback}
      data-node-id={nodeId ?? undefined}
      aria-label={nodeId ? `Node ${nodeId}` : 'Node'}
    >
      <div className={s.title}>
        <Icon name="exclamation-triangle" />
        This node could not be shown
      </div>
      {nodeId && <div className={s.id}>{nodeId}</div>}
      <div className={s.message}>{errorMessage(error)}</div>
    </article>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    padding: theme.spacing(1.5),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.error.border}`,
    borderRadius: theme.shape.radius.default,
    minWidth: 0,
    overflowWrap: 'anywhere',
  }),
  title: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    color: theme.colors.error.text,
    fontWeight: theme.typography.fontWeightMedium,
  }),
  id: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  message: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
