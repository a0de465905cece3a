/**
 * Names an HTTP request for the slow log without a router: the path, never the query string,
 * with id-like segments collapsed so that `/users/1` and `/users/2` are one name. Names are
 * stream fields and dashboard groups, so their cardinality must stay bounded.
 */

/** A segment standing for one record rather than a route: all digits, a UUID, or long hex. */
const ID_SEGMENT =
  /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?=[0-9a-f]*\d)[0-9a-f]{16,})$/i;

/** What an id-like segment becomes. */
export const ID_PLACEHOLDER = ':id';

/** The path of a request target, without query string or fragment, and absolute-form reduced. */
export function pathOf(target: string | undefined): string {
  if (!target) return '/';
  let path = target;
  const end = path.search(/[?#]/);
  if (end >= 0) path = path.slice(0, end);
  // Proxies send `GET http://host/path`; only the path names the route.
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length);
  return path === '' ? '/' : path;
}

/** Replaces each id-like path segment with `:id`. */
export function collapseIds(path: string): string {
  return path
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? ID_PLACEHOLDER : segment))
    .join('/');
}

/** The default name of a request's route: its path, query stripped, ids collapsed. */
export function defaultRouteOf(target: string | undefined): string {
  return collapseIds(pathOf(target));
}

/** A route the application gave, with any query string an app may have left on it removed. */
export function cleanRoute(route: string): string {
  return pathOf(route);
}
