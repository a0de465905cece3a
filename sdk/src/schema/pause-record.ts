/**
 * Who paused a queue through Quasar, and when: one field of `QuasarKeys.queuePauses(service)`.
 * The collector writes it; any client with write access to Redis could too, so a reader takes
 * it as untrusted: size, fields and ranges are checked here, and anything else is dropped.
 */
import { MAX_EPOCH_MS, MAX_NAME_LENGTH } from './limits';
import { inRange, isRecord } from './parse-result';

/** One queue's pause, as the collector recorded it when it issued `PAUSE_QUEUE`. */
export interface PauseRecord {
  /** Who asked: the Grafana user, or the token's name. */
  actor: string;
  /** The API token the request came with. */
  tokenName: string;
  /** When the collector issued the pause, epoch ms. */
  at: number;
  /** The `PAUSE_QUEUE` command's id. */
  commandId: string;
}

/**
 * A record's life after its last write: a pause lasts until a resume, but a record whose
 * resume never came through Quasar (a queue resumed by hand) must not live forever. Shown
 * only while the queue's own snapshot says `paused`, an outlived record says nothing wrong.
 */
export const PAUSE_RECORD_TTL_SECONDS = 30 * 24 * 3600;

/** Longest record text read; a longer field is not parsed. */
export const MAX_PAUSE_RECORD_BYTES = 2048;

const isName = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && value.length <= MAX_NAME_LENGTH;

/** The record in `raw` (a hash field's text), or undefined when it is not a valid one. */
export function parsePauseRecord(raw: unknown): PauseRecord | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_PAUSE_RECORD_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { actor, tokenName, at, commandId } = value;
  if (!isName(actor) || !isName(tokenName) || !isName(commandId)) return undefined;
  if (!inRange(at, 0, MAX_EPOCH_MS)) return undefined;
  return { actor, tokenName, at: Math.round(at), commandId };
}

/** The text of a record, as the collector writes it. */
export function pauseRecordText(record: PauseRecord): string {
  const { actor, tokenName, at, commandId } = record;
  return JSON.stringify({ actor, tokenName, at, commandId });
}
