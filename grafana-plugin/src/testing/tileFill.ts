/**
 * The fill an overview tile shows, read as a test reads it: a tile carries no inline style, its
 * fill is one of the overview's fill classes, one per pixel of its height.
 */
import { createTheme } from '@grafana/data';
import { getOverviewStyles } from '../components/FleetOverview/tileStyles';

const fills = getOverviewStyles(createTheme()).fill;

/** The tile's fill height in pixels (its fill level), or `null` when it has no fill class. */
export function tileFillPixels(tile: Element): number | null {
  const level = fills.findIndex((name) => tile.classList.contains(name));
  return level < 0 ? null : level;
}
