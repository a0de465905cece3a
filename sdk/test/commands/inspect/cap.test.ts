/**
 * The cap of an inspected job: largest fields cut first and named, the newest log lines kept,
 * and text that survives a JSON round trip however it was cut.
 */
import { capJob, cutToBytes, jsonBytes } from '../../../src/commands/inspect/cap';
import { MAX_INSPECTED_JOB_BYTES } from '../../../src/schema/inspected-job';
import type { InspectedJob } from '../../../src/schema/inspected-job';

const job = (fields: Partial<InspectedJob>): InspectedJob => ({
  queue: 'emails',
  id: '1',
  timestamps: { createdAt: 1 },
  redacted: 0,
  truncated: [],
  ...fields,
});

describe('capJob', () => {
  it('leaves a job that fits untouched', () => {
    const small = job({ data: '{"a":1}', logs: ['one'] });
    expect(capJob(small)).toEqual(small);
  });

  it('cuts the largest field first and names only the fields it cut', () => {
    const capped = capJob(
      job({ data: 'd'.repeat(200_000), stacktrace: ['s'.repeat(2000)], logs: ['l1', 'l2'] }),
    );
    expect(jsonBytes(capped)).toBeLessThanOrEqual(MAX_INSPECTED_JOB_BYTES);
    expect(capped.truncated).toEqual(['data']);
    expect(capped.stacktrace).toEqual(['s'.repeat(2000)]);
    expect(capped.logs).toEqual(['l1', 'l2']);
    expect(capped.data?.length).toBeGreaterThan(60_000);
  });

  it('cuts several fields when one is not enough, keeping the newest log lines', () => {
    const logs = Array.from({ length: 50 }, (_, i) => `${i}:${'x'.repeat(3000)}`);
    const capped = capJob(
      job({ data: 'd'.repeat(100_000), logs, returnValue: 'r'.repeat(90_000) }),
    );
    expect(jsonBytes(capped)).toBeLessThanOrEqual(MAX_INSPECTED_JOB_BYTES);
    expect(capped.truncated.sort()).toEqual(['data', 'logs', 'returnValue']);
    expect(capped.logs?.at(-1)).toBe(logs[49]);
  });

  it('counts escapes as the bytes they take, and never splits a surrogate pair', () => {
    const controls = '\u0001'.repeat(100_000);
    const capped = capJob(job({ data: controls }));
    expect(jsonBytes(capped)).toBeLessThanOrEqual(MAX_INSPECTED_JOB_BYTES);
    const emoji = '😀'.repeat(10);
    const cut = cutToBytes(emoji, 15);
    expect(cut).toBe('😀'.repeat(3));
    expect(jsonBytes(cut)).toBeLessThanOrEqual(15);
  });

  it('keeps lone surrogates and binary text valid through a JSON round trip', () => {
    const odd = `\udc00\ud800${Buffer.from([0xc3, 0x28, 0xff]).toString('utf8')}`.repeat(40_000);
    const capped = capJob(job({ data: odd, failedReason: odd }));
    const text = JSON.stringify(capped);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_INSPECTED_JOB_BYTES);
    expect(JSON.parse(text)).toEqual(capped);
    expect(capped.truncated.sort()).toEqual(['data', 'failedReason']);
  });
});
