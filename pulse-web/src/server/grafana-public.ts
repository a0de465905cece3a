/**
 * The files Grafana serves under `public/` that `@grafana/ui` asks for: its icons (shipped in
 * `@grafana/ui` itself) and the Inter font of its global styles (the same typeface, from the
 * `@fontsource/inter` package, Latin subset).
 */
import { dirname, join } from 'node:path';

/** Grafana's font file names to `@fontsource/inter`'s; a Map, as the key comes from the URL. */
const INTER: ReadonlyMap<string, string> = new Map([
  ['Inter-Regular.woff2', 'inter-latin-400-normal.woff2'],
  ['Inter-Medium.woff2', 'inter-latin-500-normal.woff2'],
  ['Inter-Italic.woff2', 'inter-latin-400-italic.woff2'],
  ['Inter-MediumItalic.woff2', 'inter-latin-500-italic.woff2'],
]);

/** The two directories, resolved once: every page load asks for a dozen of these files. */
let dirs: { icons: string; fonts: string } | undefined;

function publicDirs(): { icons: string; fonts: string } {
  const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
  dirs ??= {
    icons: join(packageDir('@grafana/ui'), 'dist', 'public', 'img', 'icons'),
    fonts: join(packageDir('@fontsource/inter'), 'files'),
  };
  return dirs;
}

/** The directory and file serving a `/public/…` path, or undefined for anything else. */
export function grafanaPublicFile(pathname: string): { dir: string; file: string } | undefined {
  const icons = '/public/build/img/icons/';
  if (pathname.startsWith(icons)) {
    return { dir: publicDirs().icons, file: pathname.slice(icons.length) };
  }
  const fonts = '/public/fonts/inter/';
  const font = pathname.startsWith(fonts) ? INTER.get(pathname.slice(fonts.length)) : undefined;
  if (font) return { dir: publicDirs().fonts, file: font };
  return undefined;
}
