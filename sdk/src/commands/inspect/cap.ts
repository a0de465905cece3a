/**
 * Fits an inspected job into `MAX_INSPECTED_JOB_BYTES` of JSON: the largest field is cut first,
 * then the next largest, each named in `truncated`, so a 5 MB payload leaves the logs and the
 * stack trace readable. Sizes are UTF-8 bytes of the JSON text, escapes included (a control
 * character takes six), and a cut never splits a surrogate pair.
 */
import { MAX_INSPECTED_JOB_BYTES } from '../../schema/inspected-job';
import type { InspectedJob } from '../../schema/inspected-job';

/** The fields that may be cut, every one free text or a list of it. */
const CUTTABLE = ['data', 'returnValue', 'logs', 'stacktrace', 'opts', 'failedReason'] as const;
type Cuttable = (typeof CUTTABLE)[number];

/** Bytes `value` takes as JSON. */
export const jsonBytes = (value: unknown): number =>
  Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

/** `text` cut so that its JSON takes about `bytes` (never more), whole code points only. */
export function cutToBytes(text: string, bytes: number): string {
  let size = jsonBytes(text);
  let end = text.length;
  while (size > bytes && end > 0) {
    // Proportional guess, then shrink: escapes make bytes per character uneven.
    end = Math.min(end - 1, Math.floor((end * bytes) / size));
    if (end > 0 && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
    size = jsonBytes(text.slice(0, Math.max(end, 0)));
  }
  return text.slice(0, Math.max(end, 0));
}

/** The newest lines of `lines` that fit `bytes`; the newest line itself cut when alone too big. */
function cutLines(lines: string[], bytes: number): string[] {
  const kept: string[] = [];
  let size = 2;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    const more = jsonBytes(line) + 1;
    if (size + more > bytes) {
      if (kept.length === 0) kept.unshift(cutToBytes(line, Math.max(0, bytes - size - 1)));
      break;
    }
    kept.unshift(line);
    size += more;
  }
  return kept;
}

/** The cuttable fields present, with their sizes, smallest first. */
function fieldSizes(job: InspectedJob): { field: Cuttable; size: number }[] {
  return CUTTABLE.filter((field) => job[field] !== undefined)
    .map((field) => ({ field, size: jsonBytes(job[field]) }))
    .sort((a, b) => a.size - b.size);
}

/** `field` of `job` cut to at most `bytes` of JSON. */
function cutField(job: InspectedJob, field: Cuttable, bytes: number): void {
  const value = job[field];
  if (Array.isArray(value)) job[field as 'logs' | 'stacktrace'] = cutLines(value, bytes);
  else job[field as 'data'] = cutToBytes(value as string, bytes);
}

/**
 * `job` within `max` bytes of JSON. The room left by the other fields is shared among the
 * cuttable ones smallest first: a field within its fair share stays whole, and the ones above
 * it (the largest) are cut to an equal share, each named once in `truncated`. Where even that
 * is not enough (never with the executors' bounded names), cuttable fields are left out.
 */
export function capJob(job: InspectedJob, max = MAX_INSPECTED_JOB_BYTES): InspectedJob {
  const out: InspectedJob = { ...job, truncated: [...job.truncated] };
  const name = (field: string) => {
    if (!out.truncated.includes(field)) out.truncated.push(field);
  };
  if (jsonBytes(out) <= max) return out;
  const sizes = fieldSizes(out);
  // Room for the names of fields that may be added to `truncated`, and a margin.
  const others = jsonBytes(out) - sizes.reduce((sum, f) => sum + f.size, 0);
  let room = max - others - 16 * CUTTABLE.length - 64;
  sizes.forEach(({ field, size }, i) => {
    const share = Math.max(0, Math.floor(room / (sizes.length - i)));
    if (size > share) {
      cutField(out, field, share);
      name(field);
    }
    room -= Math.min(size, share);
  });
  for (const field of CUTTABLE) {
    if (jsonBytes(out) <= max) break;
    if (out[field] !== undefined) {
      delete out[field];
      name(field);
    }
  }
  return out;
}
