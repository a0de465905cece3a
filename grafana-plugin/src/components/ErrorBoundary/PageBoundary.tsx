import React, { Fragment, useState, type ReactNode } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, ErrorBoundary, useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';
import { errorMessage } from './errorMessage';

/** Props of {@link PageBoundary}. */
export interface PageBoundaryProps {
  /** Names the boundary in Grafana's error reports. */
  name: string;
  /** What could not be shown, in the fallback's title: `page`, `panel`. */
  what?: string;
  /** Wraps the fallback, e.g. in `PluginPage` so a page keeps Grafana's navigation. */
  frame?: (fallback: ReactNode) => ReactNode;
  children: ReactNode;
}

/**
 * The last line behind the cards' own boundaries: anything else a page or panel throws while
 * rendering shows an error with the message and a Retry button, which mounts the page afresh
 * (its data is read again), instead of an empty screen.
 */
export function PageBoundary({ name, what = 'page', frame = (fallback) => fallback, children }: PageBoundaryProps) {
  const s = useStyles2(getStyles);
  const [attempt, setAttempt] = useState(0);
  return (
    <ErrorBoundary boundaryName={name} dependencies={[attempt]}>
      {({ error }) =>
        error ? (
          frame(
            <div className={s.fallback} data-testid={testIds.errorBoundary.page}>
              <Alert severity="error" title={`This ${what} could not be shown`}>
                <div className={s.message}>{errorMessage(error)}</div>
                <Button
                  icon="sync"
                  variant="secondary"
                  size="sm"
                  onClick={() => setAttempt((n) => n + 1)}
                  data-testid={testIds.errorBoundary.retry}
                >
                  Retry
                </Button>
              </Alert>
            </div>
          )
        ) : (
          <Fragment key={attempt}>{children}</Fragment>
        )
      }
    </ErrorBoundary>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  fallback: css({ padding: theme.spacing(1, 0) }),
  message: css({ marginBottom: theme.spacing(1), overflowWrap: 'anywhere' }),
});
