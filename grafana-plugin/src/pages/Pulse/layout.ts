/**
 * How the Pulse view lays its nodes out: a card per node, or the fleet overview's tiles. Past
 * {@link OVERVIEW_THRESHOLD} nodes cards stop helping (a wide screen shows one or two services),
 * so `auto` turns to the overview there; an explicit choice always wins.
 */

/** What the view shows. */
export type PulseLayout = 'cards' | 'overview';

/** The user's or the panel's choice: one layout, or `auto` to follow the fleet's size. */
export type LayoutChoice = 'auto' | PulseLayout;

/**
 * Nodes above which `auto` shows the overview. At 200 a wide screen of cards holds about a
 * tenth of the fleet, while the overview still holds all of it on one screen up to several
 * thousand nodes.
 */
export const OVERVIEW_THRESHOLD = 200;

/** The layout to show for `choice` when the view holds `total` nodes. */
export function resolveLayout(choice: LayoutChoice, total: number): PulseLayout {
  if (choice !== 'auto') {
    return choice;
  }
  return total > OVERVIEW_THRESHOLD ? 'overview' : 'cards';
}
