import type { PanelOptionsEditorBuilder, SelectableValue } from '@grafana/data';
import type { OverviewMetric } from '../components/FleetOverview';
import { DEFAULT_THRESHOLDS } from '../components/NodeCard';
import type { StatusFilter } from '../pages/Pulse/filterNodes';
import { OVERVIEW_THRESHOLD, type LayoutChoice } from '../pages/Pulse/layout';
import type { PulsePanelOptions } from './types';

/** Every option's default, in one place; the builder and the panel both read it. */
export const DEFAULT_OPTIONS: PulsePanelOptions = {
  service: '',
  status: 'all',
  cpuWarning: DEFAULT_THRESHOLDS.warning,
  cpuCritical: DEFAULT_THRESHOLDS.critical,
  memoryWarning: DEFAULT_THRESHOLDS.warning,
  memoryCritical: DEFAULT_THRESHOLDS.critical,
  live: true,
  view: 'auto',
  tileMetric: 'cpu',
};

const VIEW_OPTIONS: Array<SelectableValue<LayoutChoice>> = [
  { label: 'Auto', value: 'auto' },
  { label: 'Cards', value: 'cards' },
  { label: 'Overview', value: 'overview' },
];

const METRIC_OPTIONS: Array<SelectableValue<OverviewMetric>> = [
  { label: 'CPU', value: 'cpu' },
  { label: 'Memory', value: 'memory' },
];

const STATUS_OPTIONS: Array<SelectableValue<StatusFilter>> = [
  { label: 'All', value: 'all' },
  { label: 'Online', value: 'online' },
  { label: 'Stale', value: 'stale' },
  { label: 'Offline', value: 'offline' },
];

const PERCENT = { min: 0, max: 100, step: 1 };
const THRESHOLDS = ['Thresholds'];

/** Registers the panel's options with Grafana's options editor. */
export function buildOptions(builder: PanelOptionsEditorBuilder<PulsePanelOptions>) {
  return builder
    .addTextInput({
      path: 'service',
      name: 'Service',
      description: 'Only services whose name contains this text. Empty shows every service.',
      defaultValue: DEFAULT_OPTIONS.service,
    })
    .addRadio({
      path: 'status',
      name: 'Status',
      description: 'The node status the panel shows.',
      defaultValue: DEFAULT_OPTIONS.status,
      settings: { options: STATUS_OPTIONS },
    })
    .addBooleanSwitch({
      path: 'live',
      name: 'Live updates',
      description: 'Apply the collector’s updates as they arrive.',
      defaultValue: DEFAULT_OPTIONS.live,
    })
    .addRadio({
      path: 'view',
      name: 'View',
      description: `A card per node, or the fleet overview's tiles. Auto shows the overview above ${OVERVIEW_THRESHOLD} nodes.`,
      defaultValue: DEFAULT_OPTIONS.view,
      settings: { options: VIEW_OPTIONS },
    })
    .addRadio({
      path: 'tileMetric',
      name: 'Overview tiles show',
      description: 'What fills each tile of the overview: the machine’s CPU or memory use.',
      defaultValue: DEFAULT_OPTIONS.tileMetric,
      settings: { options: METRIC_OPTIONS },
      showIf: (options) => options.view !== 'cards',
    })
    .addNumberInput({
      path: 'cpuWarning',
      name: 'CPU warning (%)',
      category: THRESHOLDS,
      defaultValue: DEFAULT_OPTIONS.cpuWarning,
      settings: PERCENT,
    })
    .addNumberInput({
      path: 'cpuCritical',
      name: 'CPU critical (%)',
      category: THRESHOLDS,
      defaultValue: DEFAULT_OPTIONS.cpuCritical,
      settings: PERCENT,
    })
    .addNumberInput({
      path: 'memoryWarning',
      name: 'Memory warning (%)',
      category: THRESHOLDS,
      defaultValue: DEFAULT_OPTIONS.memoryWarning,
      settings: PERCENT,
    })
    .addNumberInput({
      path: 'memoryCritical',
      name: 'Memory critical (%)',
      category: THRESHOLDS,
      defaultValue: DEFAULT_OPTIONS.memoryCritical,
      settings: PERCENT,
    });
}
