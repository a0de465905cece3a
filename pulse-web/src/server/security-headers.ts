/**
 * The headers every response carries. The page's Content-Security-Policy is what the real page
 * needs and no more: its own scripts, styles, fonts, icons and API; no inline script, no eval, no
 * plugin objects, and no framing (the Retry and Delete buttons must not be clickjackable).
 */
import type { ServerResponse } from 'node:http';

/**
 * The page's policy. Styles allow `'unsafe-inline'` because `@grafana/ui` and the plugin style
 * with Emotion, which writes `<style>` elements at run time and takes no nonce through
 * `@emotion/css`'s default instance; Grafana's own CSP template allows the same. Scripts do not:
 * the boot settings are a JSON data block, which is not a script.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Responses passed through from the collector are data: opened as a document, nothing runs. */
export const PROXIED_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'";

/** The headers besides the policy, on every response. */
const COMMON: ReadonlyArray<readonly [string, string]> = [
  ['x-frame-options', 'DENY'],
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['cross-origin-resource-policy', 'same-origin'],
];

/** Header names this module owns: an upstream's own values for them are not passed on. */
export const SECURITY_HEADER_NAMES: ReadonlySet<string> = new Set([
  'content-security-policy',
  ...COMMON.map(([name]) => name),
]);

/** Sets the security headers on `res`, before anything else writes its head. */
export function setSecurityHeaders(res: ServerResponse, csp: string = PAGE_CSP): void {
  res.setHeader('content-security-policy', csp);
  for (const [name, value] of COMMON) res.setHeader(name, value);
}
