import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { lookup } from '../../api/read';
import { testIds } from '../testIds';

interface Runtime {
  name: string;
  /** Short mark drawn in the badge. */
  mark: string;
  /** The runtime's own brand colours, so it is recognisable at a glance in either theme. */
  background: string;
  foreground: string;
}

const RUNTIMES: Record<string, Runtime> = {
  node: { name: 'Node.js', mark: 'JS', background: '#5FA04E', foreground: '#FFFFFF' },
  bun: { name: 'Bun', mark: 'Bun', background: '#FBF0DF', foreground: '#14151A' },
  deno: { name: 'Deno', mark: 'De', background: '#1B1B1F', foreground: '#FFFFFF' },
  php: { name: 'PHP', mark: 'php', background: '#777BB4', foreground: '#FFFFFF' },
  go: { name: 'Go', mark: 'Go', background: '#00ADD8', foreground: '#FFFFFF' },
  python: { name: 'Python', mark: 'Py', background: '#3776AB', foreground: '#FFD43B' },
};

/** The display name of a runtime, or the reported string for one the card does not know. */
export function runtimeName(language: string | null): string {
  if (!language) {
    return 'unknown runtime';
  }
  return lookup(RUNTIMES, language.toLowerCase())?.name ?? language;
}

/** Props of {@link RuntimeIcon}. */
export interface RuntimeIconProps {
  language: string | null;
  version?: string | null;
  size?: number;
}

/**
 * A badge for the node's runtime: Node, Bun, Deno, PHP, Go and Python by their colours, and a
 * neutral badge for anything else, drawn inline so the plugin ships no image assets.
 */
export function RuntimeIcon({ language, version, size = 28 }: RuntimeIconProps) {
  const s = useStyles2(getStyles);
  const runtime = language ? lookup(RUNTIMES, language.toLowerCase()) : undefined;
  const label = `${runtimeName(language)}${version ? ` ${version}` : ''}`;
  const mark = runtime?.mark ?? '?';
  return (
    <svg
      data-testid={testIds.nodeCard.runtimeIcon}
      data-runtime={runtime ? language?.toLowerCase() : 'generic'}
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox="0 0 32 32"
      className={s.icon}
    >
      <title>{label}</title>
      <rect
        x="1"
        y="1"
        width="30"
        height="30"
        rx="7"
        className={runtime ? undefined : s.genericBox}
        fill={runtime?.background}
      />
      <text
        x="16"
        y="16"
        dominantBaseline="central"
        textAnchor="middle"
        fontSize={mark.length > 2 ? 10 : 13}
        fontWeight="bold"
        fontFamily="sans-serif"
        className={runtime ? undefined : s.genericMark}
        fill={runtime?.foreground}
      >
        {mark}
      </text>
    </svg>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  icon: css({ flexShrink: 0 }),
  genericBox: css({ fill: theme.colors.background.secondary, stroke: theme.colors.border.medium }),
  genericMark: css({ fill: theme.colors.text.secondary }),
});
