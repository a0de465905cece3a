/**
 * How much of a collector reply the plugin reads. The collector bounds what it serves, but an
 * older collector, a proxy or anything else answering on its URL may not, and a reply must never
 * cost the browser more than a page of cards is worth. Every reader cuts to these.
 */

/** Nodes read from one nodes reply; the page is built for about 1,000. */
export const MAX_NODES = 20_000;
/** Availability checks read per node. */
export const MAX_CHECKS = 50;
/** Queues read per node (and per service of the queues reply). */
export const MAX_QUEUES = 50;
/** Job states read per queue: the four primary ones and the driver's others. */
export const MAX_STATES = 16;
/** Failed jobs read per queue: the schema's sample holds at most 20. */
export const MAX_FAILED_JOBS = 20;
/** Failure groups read per queue: the schema's groups are at most 10. */
export const MAX_FAILURE_GROUPS = 10;
/** Laravel workers, and application roots, read per node. */
export const MAX_WORKERS = 50;
/** Runtime errors the agent lists, read per node. */
export const MAX_RUNTIME_ERRORS = 20;
/** Rows of one data frame, and entries read from a slow-log or audit reply (the collector's own limit). */
export const MAX_ENTRIES = 1000;

/**
 * Identifiers (node ids, services, queues, job ids) go back to the collector in commands, so a
 * longer one is dropped rather than cut: a cut id would name another node or job.
 */
export const MAX_ID_LENGTH = 256;
/** Short labels: runtime, version, platform, driver, state, method, status. */
export const MAX_LABEL_LENGTH = 128;
/** Free text: reasons, errors, hostnames, targets, command lines; cut with an ellipsis. */
export const MAX_TEXT_LENGTH = 512;

/** The largest epoch millisecond `Date` can show (year 275760); later reads as unknown. */
export const MAX_EPOCH_MS = 8.64e15;
/** Durations and ages, ms: anything longer than `Date`'s range is not a duration. */
export const MAX_DURATION_MS = MAX_EPOCH_MS;
/** Memory in bytes: 1 EiB, far beyond any machine, so a larger figure is a wrong one. */
export const MAX_BYTES = 2 ** 60;
/** CPU cores of one machine; process CPU is clamped to 100% per core of these. */
export const MAX_CORES = 4096;
/** Job counts: beyond this, integers stop being exact. */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;
/** Process ids: Linux allows up to 2^22, other systems up to 2^31. */
export const MAX_PID = 2 ** 31;
/** Days left on a certificate, either way: a century. */
export const MAX_CERT_DAYS = 36_500;
/** Queues read from one history reply: the collector's own bound per service. */
export const MAX_HISTORY_QUEUES = 256;
/** Points kept per queue's history: the collector keeps 360 (one hour at 10 s). */
export const MAX_HISTORY_POINTS = 1000;
