/**
 * The fleet overview's styles. The tiles themselves are painted (`tileGrid`) in the theme's status
 * colours; the styles here are the rows', the canvas's and the focusable current tile's.
 */
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import type { NodeStatus } from '../../pulse/node';
import { TILE_SIZE, type StatusColors } from './tileGrid';

/** Each status's colours: `main` fills to the figure, `weak` is the rest of the tile. */
export function statusColors(theme: GrafanaTheme2): StatusColors {
  return {
    online: { main: theme.colors.success.main, weak: theme.colors.success.transparent },
    stale: { main: theme.colors.warning.main, weak: theme.colors.warning.transparent },
    offline: { main: theme.colors.error.main, weak: theme.colors.error.transparent },
    unknown: { main: theme.colors.text.disabled, weak: theme.colors.action.disabledBackground },
  };
}

/** The styles of a service row and its tiles, and a status dot per status. */
export function getOverviewStyles(theme: GrafanaTheme2) {
  const colors = statusColors(theme);
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
    /** A row's tiles: their container, their canvas and the focusable current tile. */
    tileParts: {
      tiles: css({ position: 'relative', minWidth: 0 }),
      canvas: css({ display: 'block', cursor: 'pointer' }),
      current: css({
        position: 'absolute',
        width: TILE_SIZE,
        height: TILE_SIZE,
        borderRadius: 2,
        cursor: 'pointer',
        '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: 1 },
      }),
    },
    /** The tiles' colours, painted. */
    colors,
    /** The ring around the open node's tile, painted. */
    ring: theme.colors.text.primary,
    card: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), minWidth: 280 }),
    close: css({ alignSelf: 'flex-end' }),
    dot: {
      online: dot('online'),
      stale: dot('stale'),
      offline: dot('offline'),
      unknown: dot('unknown'),
    } satisfies Record<NodeStatus, string>,
  };
}
