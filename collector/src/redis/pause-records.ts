/**
 * Reads who paused which queue (`QuasarKeys.queuePauses`), for the queues whose snapshot says
 * `paused` only: one `HMGET` per service with a paused queue, naming those queues, so the read
 * is bounded by the snapshot (at most `MAX_QUEUES` fields a service) however large the hash
 * grew. Each field is validated by the schema; one service's failed read leaves only that
 * service without its records.
 */
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys, parsePauseRecord } from '@gravito/quasar/schema';
import type { PauseRecord } from '@gravito/quasar/schema';

/** Records by service, then by queue name. */
export type PauseRecords = ReadonlyMap<string, ReadonlyMap<string, PauseRecord>>;

/**
 * The valid records of the `queues` of each service.
 * @param onError called once per service whose read failed.
 */
export async function readPauseRecords(
  redis: RedisClient,
  queues: ReadonlyMap<string, readonly string[]>,
  onError: (error: unknown) => void,
): Promise<PauseRecords> {
  const records = new Map<string, Map<string, PauseRecord>>();
  await Promise.all(
    [...queues].map(async ([service, names]) => {
      if (names.length === 0) return;
      try {
        const values = await redis.hmget(QuasarKeys.queuePauses(service), ...names);
        const found = new Map<string, PauseRecord>();
        values.forEach((raw, i) => {
          const record = parsePauseRecord(raw);
          if (record) found.set(names[i] as string, record);
        });
        if (found.size > 0) records.set(service, found);
      } catch (error) {
        onError(error);
      }
    }),
  );
  return records;
}
