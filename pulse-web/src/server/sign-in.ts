/**
 * The sign-in URL (`/…?token=<secret>`): a right token sets the session cookie and redirects to
 * the same page without the token, so it leaves the address bar; a wrong one is refused.
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from './proxy';
import type { Sessions } from './session';

/** Answers a request whose URL carries `token`. */
export function signIn(res: ServerResponse, url: URL, sessions: Sessions): void {
  const token = url.searchParams.get('token') ?? '';
  if (!sessions.tokenMatches(token)) {
    return sendJson(res, 403, {
      message:
        sessions.token === undefined
          ? 'This server has no sign-in: its role is Viewer, which everyone has'
          : 'The sign-in token is not valid: open the sign-in URL quasar-pulse-web printed when it started (a new one on every start)',
    });
  }
  const rest = new URLSearchParams(url.searchParams);
  rest.delete('token');
  const search = rest.size > 0 ? `?${rest.toString()}` : '';
  // One leading slash: `//name` would be a redirect to another site.
  const path = `/${url.pathname.replace(/^\/+/, '')}`;
  res.writeHead(302, {
    'set-cookie': sessions.setCookie,
    location: `${path}${search}`,
    'cache-control': 'no-store',
  });
  res.end();
}
