/** Bounds on what one request may make the server read or hold. */

/**
 * Largest request body the proxy forwards. The page's only bodies are commands of a few hundred
 * bytes; the collector itself takes up to 1 MiB.
 */
export const MAX_PROXY_BODY_BYTES = 64 * 1024;

/** Largest request head (request line and headers) Node parses; past it the answer is 431. */
export const MAX_HEADER_BYTES = 16 * 1024;

/** Request headers Node parses per request; later ones are ignored. */
export const MAX_HEADERS_COUNT = 100;

/** Time allowed to receive a request's headers. */
export const HEADERS_TIMEOUT_MS = 10_000;

/** Time allowed to receive a whole request; the response (the event stream) is not bounded. */
export const REQUEST_TIMEOUT_MS = 30_000;
