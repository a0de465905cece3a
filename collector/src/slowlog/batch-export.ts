/**
 * One batch of slow-log entries out: their log records exported in one call, then, once the
 * export succeeded, their durations counted in the histograms of the services this consumer
 * owns, and in its slow-log groups (an entry read just before its service was given up is
 * exported, counted by no one).
 */
import { ExportResultCode } from '@opentelemetry/core';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { Decoded, SlowLogConsumerOptions } from './consumer-types';
import type { DurationHistograms } from './duration-histograms';
import type { SlowGroups } from './groups/slow-groups';
import { pushId } from './entry-batch';
import { exportLogs } from './log-exporter';
import { toLogRecord } from './log-records';
import { identityOf } from './node-identity';

/** Where a batch goes. */
export interface BatchTarget {
  exporter: LogRecordExporter;
  histograms: DurationHistograms;
  resourceOf: SlowLogConsumerOptions['resourceOf'];
  groups?: SlowGroups;
  /** Whether the durations of a stream's entries are this consumer's to count. */
  countsDurations: (stream: string) => boolean;
}

/**
 * Exports `decoded` as log records observed at `nowMs`. Resolves with the ids to acknowledge,
 * by stream, or with the export's error (nothing is counted then); never rejects.
 */
export async function exportBatch(
  target: BatchTarget,
  decoded: readonly Decoded[],
  nowMs: number,
): Promise<Map<string, string[]> | Error> {
  const identities = decoded.map((d) => identityOf(target.resourceOf, d.service, d.entry.nodeId));
  const records = decoded.map((d, i) => toLogRecord(d.entry, d.id, identities[i]!.resource, nowMs));
  const result = await exportLogs(target.exporter, records);
  if (result.code !== ExportResultCode.SUCCESS) return result.error ?? new Error('export failed');
  const acks = new Map<string, string[]>();
  decoded.forEach((d, i) => {
    pushId(acks, d.stream, d.id);
    if (!target.countsDurations(d.stream)) return;
    const { nodeKey, attributes, known } = identities[i]!;
    target.histograms.record({ service: d.service, nodeKey, attributes, known }, d.entry, nowMs);
    target.groups?.record(d.service, d.entry, d.id, nowMs);
  });
  return acks;
}
