import { MAX_PAUSE_RECORD_BYTES, parsePauseRecord, pauseRecordText } from '../../src/schema';

const record = { actor: 'ada', tokenName: 'ops', at: 1_700_000_000_000, commandId: 'c-1' };

describe('pause records', () => {
  it('reads back what the collector writes', () => {
    expect(parsePauseRecord(pauseRecordText(record))).toEqual(record);
  });

  it('drops anything else: bad JSON, missing or mistyped fields, out-of-range times', () => {
    for (const raw of [
      'not json',
      '[]',
      'null',
      JSON.stringify({ ...record, actor: '' }),
      JSON.stringify({ ...record, actor: 7 }),
      JSON.stringify({ ...record, tokenName: undefined }),
      JSON.stringify({ ...record, at: -1 }),
      JSON.stringify({ ...record, at: 1e20 }),
      JSON.stringify({ ...record, at: '1' }),
      JSON.stringify({ ...record, commandId: 'x'.repeat(300) }),
      undefined,
      42,
    ]) {
      expect(parsePauseRecord(raw)).toBeUndefined();
    }
  });

  it('does not parse a text over its bound', () => {
    const long = JSON.stringify({ ...record, pad: 'x'.repeat(MAX_PAUSE_RECORD_BYTES) });
    expect(parsePauseRecord(long)).toBeUndefined();
  });

  it('keeps only its own fields, on a prototype-free reading', () => {
    const raw = JSON.stringify({ ...record, __proto__: { polluted: true }, extra: 1 });
    const parsed = parsePauseRecord(raw);
    expect(parsed).toEqual(record);
    expect(Object.keys(parsed!)).toEqual(['actor', 'tokenName', 'at', 'commandId']);
  });
});
