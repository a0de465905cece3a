/**
 * The fleet overview's styles. A tile is one element: its status colour fills it from the bottom
 * to its CPU or memory figure (a background image sized by one of a few fill classes), over a
 * faint tint of the same colour. 10,000 tiles cost 10,000 elements, no per-tile rule and no inline
 * style: a tile's classes are its verdict and its fill level, so the browser restyles tiles of the
 * same kind once and shares the result.
 */
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import type { NodeStatus } from '../../pulse/node';
import { FILL_LEVELS } from './summary';

/** A tile's side in pixels: one pixel per fill level. */
export const TILE_SIZE = FILL_LEVELS;

/** The gap between tiles in pixels. */
export const TILE_GAP = 2;

/** Each status's colours: `main` fills to the figure, `weak` is the rest of the tile. */
export function statusColors(theme: GrafanaTheme2): Record<NodeStatus, { main: string; weak: string }> {
  return {
    online: { main: theme.colors.success.main, weak: theme.colors.success.transparent },
    stale: { main: theme.colors.warning.main, weak: theme.colors.warning.transparent },
    offline: { main: theme.colors.error.main, weak: theme.colors.error.transparent },
    unknown: { main: theme.colors.text.disabled, weak: theme.colors.action.disabledBackground },
  };
}

/** The styles of a service row and its tiles, one class per status. */
export function getOverviewStyles(theme: GrafanaTheme2) {
  const colors = statusColors(theme);
  const tile = (status: NodeStatus) =>
    css({
      width: TILE_SIZE,
      height: TILE_SIZE,
      borderRadius: 2,
      cursor: 'pointer',
      background: `${colors[status].weak} linear-gradient(${colors[status].main}, ${colors[status].main}) no-repeat left bottom`,
      '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: 1 },
      '&[aria-expanded="true"]': { outline: `2px solid ${theme.colors.text.primary}`, outlineOffset: 1 },
    });
  const dot = (status: NodeStatus) =>
    css({
      '&::before': {
        content: '""',
        display: 'inline-block',
        width: theme.spacing(1),
        height: theme.spacing(1),
        marginRight: theme.spacing(0.5),
        borderRadius: 2,
        background: colors[status].main,
      },
    });
  return {
    group: css({
      display: 'flex',
      flexDirection: 'column',
      gap: theme.spacing(0.75),
      minWidth: 0,
      maxWidth: '100%',
      padding: theme.spacing(1),
      background: theme.colors.background.primary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
    }),
    title: css({
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1),
      margin: 0,
      fontSize: theme.typography.body.fontSize,
      fontWeight: theme.typography.fontWeightMedium,
    }),
    name: css({ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
    down: css({
      flex: 'none',
      width: theme.spacing(1),
      height: theme.spacing(1),
      borderRadius: theme.shape.radius.circle,
      background: theme.colors.error.main,
    }),
    facts: css({
      display: 'flex',
      flexWrap: 'wrap',
      gap: theme.spacing(0.25, 1.25),
      margin: 0,
      color: theme.colors.text.secondary,
      fontSize: theme.typography.bodySmall.fontSize,
      fontVariantNumeric: 'tabular-nums',
    }),
    muted: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular }),
    error: css({ color: theme.colors.error.text }),
    tiles: css({ display: 'flex', flexWrap: 'wrap', gap: TILE_GAP, alignContent: 'flex-start' }),
    card: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), minWidth: 280 }),
    close: css({ alignSelf: 'flex-end' }),
    tile: {
      online: tile('online'),
      stale: tile('stale'),
      offline: tile('offline'),
      unknown: tile('unknown'),
    } satisfies Record<NodeStatus, string>,
    /** A tile's fill class per level (`fillLevel`), from empty to full. */
    fill: Array.from({ length: FILL_LEVELS + 1 }, (_, level) =>
      css({ backgroundSize: `100% ${(level * 100) / FILL_LEVELS}%` })
    ),
    dot: {
      online: dot('online'),
      stale: dot('stale'),
      offline: dot('offline'),
      unknown: dot('unknown'),
    } satisfies Record<NodeStatus, string>,
  };
}
