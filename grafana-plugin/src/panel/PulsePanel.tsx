import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { PageBoundary } from '../components/ErrorBoundary';
import type { UsageThresholds } from '../components/NodeCard';
import { PulseView } from '../pages/Pulse/PulseView';
import { DEFAULT_OPTIONS } from './options';
import type { PulsePanelOptions } from './types';

/** The Pulse page's nodes in a dashboard panel, read through the app's proxy like the page. */
export function PulsePanel({ options, width, height }: PanelProps<PulsePanelOptions>) {
  const s = useStyles2(getStyles);
  // A dashboard saved before an option existed lacks it; its default applies.
  const merged = { ...DEFAULT_OPTIONS, ...options };
  const { cpuWarning, cpuCritical, memoryWarning, memoryCritical } = merged;
  // The cards compare thresholds by value, but stable objects keep the groups' memo intact too.
  const cpuThresholds = useMemo<UsageThresholds>(
    () => ({ warning: cpuWarning, critical: cpuCritical }),
    [cpuWarning, cpuCritical]
  );
  const memoryThresholds = useMemo<UsageThresholds>(
    () => ({ warning: memoryWarning, critical: memoryCritical }),
    [memoryWarning, memoryCritical]
  );

  return (
    <div className={s.scroll} style={{ width, height }}>
      <PageBoundary name="quasar-pulse-panel" what="panel">
        <PulseView
          service={merged.service}
          statusFilter={merged.status}
          live={merged.live}
          cpuThresholds={cpuThresholds}
          memoryThresholds={memoryThresholds}
          layout={merged.view}
          metric={merged.tileMetric}
        />
      </PageBoundary>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  scroll: css({ overflow: 'auto', paddingRight: theme.spacing(0.5) }),
});
