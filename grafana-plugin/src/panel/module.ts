import { PanelPlugin } from '@grafana/data';
import { buildOptions } from './options';
import { PulsePanel } from './PulsePanel';
import type { PulsePanelOptions } from './types';

/** The nested Quasar Pulse panel. */
export const plugin = new PanelPlugin<PulsePanelOptions>(PulsePanel).setPanelOptions(buildOptions);
