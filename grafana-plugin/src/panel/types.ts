import type { OverviewMetric } from '../components/FleetOverview';
import type { StatusFilter } from '../pages/Pulse/filterNodes';
import type { LayoutChoice } from '../pages/Pulse/layout';

/** The Quasar Pulse panel's options, as saved in the dashboard. */
export interface PulsePanelOptions {
  /**
   * Only services whose name contains this text (case-insensitive); empty shows every service.
   * @default ''
   */
  service: string;
  /**
   * The status the panel starts filtered on.
   * @default 'all'
   */
  status: StatusFilter;
  /**
   * CPU usage in percent at which a card's bar turns to the warning colour.
   * @default 70
   */
  cpuWarning: number;
  /**
   * CPU usage in percent at which a card's bar turns to the critical colour.
   * @default 90
   */
  cpuCritical: number;
  /**
   * Memory usage in percent at which a card's bar turns to the warning colour.
   * @default 70
   */
  memoryWarning: number;
  /**
   * Memory usage in percent at which a card's bar turns to the critical colour.
   * @default 90
   */
  memoryCritical: number;
  /**
   * Whether the collector's updates are applied as they arrive.
   * @default true
   */
  live: boolean;
  /**
   * Cards, the fleet overview's tiles, or `auto`: the overview above `OVERVIEW_THRESHOLD` nodes.
   * @default 'auto'
   */
  view: LayoutChoice;
  /**
   * What the overview's tiles fill to: CPU or memory use.
   * @default 'cpu'
   */
  tileMetric: OverviewMetric;
}
