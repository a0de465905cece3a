/** The Pulse view's dense layout: a tile per node, a row per service. */
export { FleetOverview, type FleetOverviewProps } from './FleetOverview';
export { type OverviewMetric } from './summary';
