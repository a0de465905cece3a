/** The standalone page's frame: a title bar with the app's pages, the panel and the theme switch. */
import React, { type ReactNode } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { PageBoot } from './bootData';

export function Shell({ boot, children }: { boot: PageBoot; children: ReactNode }) {
  const s = useStyles2(getStyles);
  const other = boot.theme === 'dark' ? 'light' : 'dark';
  const links = [
    { href: boot.appPath, label: 'Pulse' },
    { href: `${boot.appPath}/slow`, label: 'Slow log' },
    { href: `${boot.appPath}/audit`, label: 'Audit' },
    { href: '/panel', label: 'Panel' },
  ];
  return (
    <div className={s.page}>
      <header className={s.bar}>
        <strong>Quasar</strong>
        <nav className={s.nav}>
          {links.map((link) => (
            <a key={link.href} href={`${link.href}?theme=${boot.theme}`}>
              {link.label}
            </a>
          ))}
        </nav>
        <span className={s.meta}>
          {boot.user === null
            ? `Anonymous ${boot.role}`
            : `Signed in as ${boot.user} (${boot.role})`}
          {boot.canSignIn ? ', read-only: open the sign-in URL the server printed' : ''} · collector{' '}
          {boot.collectorUrl} · <a href={`?theme=${other}`}>{other} theme</a>
        </span>
      </header>
      <main className={s.main}>{children}</main>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ minHeight: '100vh', background: theme.colors.background.canvas }),
  bar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(3),
    padding: theme.spacing(1, 2),
    background: theme.colors.background.primary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  nav: css({ display: 'flex', gap: theme.spacing(2), a: { color: theme.colors.text.link } }),
  meta: css({
    marginLeft: 'auto',
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  main: css({ padding: theme.spacing(2) }),
});
