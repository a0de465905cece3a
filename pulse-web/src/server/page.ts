/** The page's HTML and its built assets. */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

/** What the page reads from its boot element (see the page's `bootData.ts`). */
export interface PageBoot {
  role: string;
  /** The role's RBAC actions, as Grafana's boot data lists them (`user.permissions`). */
  permissions: Record<string, boolean>;
  /** The signed-in login; null for an anonymous Viewer. */
  user: string | null;
  /** Whether the sign-in URL would give this browser a higher role than `role`. */
  canSignIn: boolean;
  theme: string;
  collectorUrl: string;
  /** The app's read-only mode (`jsonData.readOnly`). */
  readOnly: boolean;
  appPath: string;
}

/** Content types by extension; a Map, as the extension comes from the URL. */
const TYPES: ReadonlyMap<string, string> = new Map([
  ['.js', 'text/javascript; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.map', 'application/json'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.woff', 'font/woff'],
  ['.woff2', 'font/woff2'],
  ['.ttf', 'font/ttf'],
]);

/** JSON safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The page; `assets` is the URL path of its build (`/page` or `/page-profiling`). */
export function pageHtml(boot: PageBoot, assets = '/page'): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<base href="/">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0; }</style>
<title>Quasar Pulse</title>
<link rel="stylesheet" href="${assets}/main.css">
<script id="quasar-pulse-boot" type="application/json">${scriptJson(boot)}</script>
</head>
<body>
<div id="root"></div>
<script type="module" src="${assets}/boot.js"></script>
<script type="module" src="${assets}/main.js"></script>
</body>
</html>
`;
}

/** Serves `file` under `dir`; false when it is not there (or escapes `dir`). */
export async function serveAsset(res: ServerResponse, dir: string, file: string): Promise<boolean> {
  const path = normalize(join(dir, file));
  if (!path.startsWith(normalize(dir) + sep)) return false;
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    return false;
  }
  res.writeHead(200, {
    'content-type': TYPES.get(extname(path)) ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-cache',
  });
  res.end(body);
  return true;
}
