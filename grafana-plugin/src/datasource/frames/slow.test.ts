import { FieldType } from '@grafana/data';
import { slowReply } from '../../testing/collectorReplies';
import { slowFrame } from './slow';

describe('slowFrame', () => {
  const frame = slowFrame('C', slowReply);
  const field = (name: string) => frame.fields.find((f) => f.name === name);

  it('has one row per entry, newest first, with a time field', () => {
    expect(frame.length).toBe(2);
    expect(field('time')).toMatchObject({ type: FieldType.time, values: [1767500000500, 1767499999000] });
    expect(field('kind')?.values).toEqual(['request', 'job']);
  });

  it('states durations in ms and keeps request, job and trace details', () => {
    expect(field('durationMs')).toMatchObject({ config: { unit: 'ms' }, values: [2350.4, 15020] });
    expect(field('route')?.values).toEqual(['/orders', null]);
    expect(field('queue')?.values).toEqual([null, 'emails']);
    expect(field('traceId')?.values).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', null]);
  });

  it('rejects a reply without entries', () => {
    expect(() => slowFrame('C', { skipped: 0 })).toThrow('Unexpected reply from /api/pulse/slow: no "entries" array');
  });
});
