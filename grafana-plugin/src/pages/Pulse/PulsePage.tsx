import React, { type ReactNode } from 'react';
import { PluginPage } from '@grafana/runtime';
import { PulseView } from './PulseView';

/** Props of {@link PulsePage}. */
export interface PulsePageProps {
  /** Where the configured collector lives, for the error message. */
  collectorUrl?: string;
  /** Shown above the nodes, e.g. the app's connection check. */
  status?: ReactNode;
}

/** Every node reporting to the collector, grouped by service and kept live. */
export function PulsePage({ collectorUrl, status }: PulsePageProps) {
  return (
    <PluginPage>
      <PulseView collectorUrl={collectorUrl} status={status} />
    </PluginPage>
  );
}
