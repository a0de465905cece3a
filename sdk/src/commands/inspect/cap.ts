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

function largest(job: InspectedJob): { field: Cuttable; size: number } | undefined {
  let best: { field: Cuttable; size: number } | undefined;
  for (const field of CUTTABLE) {
    const value = job[field];
    if (value === undefined) continue;
    const size = jsonBytes(value);
    if (size > 2 && (best === undefined || size > best.size)) best = { field, size };
  }
  return best;
}

/**
 * `job` within `max` bytes of JSON: fields cut largest first, each named once in `truncated`.
 * Where cutting every field is not enough (never with the executors' bounded names), the
 * cuttable fields are left out.
 */
export function capJob(job: InspectedJob, max = MAX_INSPECTED_JOB_BYTES): InspectedJob {
  const out: InspectedJob = { ...job, truncated: [...job.truncated] };
  const name = (field: string) => {
    if (!out.truncated.includes(field)) out.truncated.push(field);
  };
  for (let round = 0; round < 4 * CUTTABLE.length; round++) {
    const excess = jsonBytes(out) - max;
    if (excess <= 0) return out;
    const target = largest(out);
    if (target === undefined) break;
    // A little beyond the excess, so the next round rarely has to cut the same field again.
    const keep = Math.max(0, target.size - excess - 64);
    const value = out[target.field];
    if (Array.isArray(value)) out[target.field as 'logs' | 'stacktrace'] = cutLines(value, keep);
    else out[target.field as 'data'] = cutToBytes(value as string, Math.max(0, keep - 2));
    name(target.field);
  }
  for (const field of CUTTABLE) {
    if (jsonBytes(out) <= max) break;
    if (out[field] !== undefined) {
      delete out[field];
      name(field);
    }
  }
  return out;
}
