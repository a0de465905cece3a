import { FieldType } from '@grafana/data';
import { queuesReply } from '../../testing/collectorReplies';
import { queuesFrame } from './queues';

describe('queuesFrame', () => {
  const frame = queuesFrame('B', queuesReply);
  const values = (name: string) => frame.fields.find((f) => f.name === name)?.values;

  it('has one row per queue of each service with counts by state', () => {
    expect(frame.length).toBe(3);
    expect(values('service')).toEqual(['worker-orders', 'worker-orders', 'my-laravel-app']);
    expect(values('queue')).toEqual(['emails', 'reports', 'default']);
    expect(values('waiting')).toEqual([120, 0, 5]);
    expect(values('failed')).toEqual([2, 0, 0]);
    expect(values('delayed')).toEqual([7, 0, 3]);
  });

  it('carries pause, oldest waiting age and the probe error', () => {
    expect(values('paused')).toEqual([false, null, null]);
    expect(frame.fields.find((f) => f.name === 'paused')?.type).toBe(FieldType.boolean);
    expect(frame.fields.find((f) => f.name === 'oldestWaitingAgeMs')?.config.unit).toBe('ms');
    expect(values('error')).toEqual([null, expect.stringContaining('NOPERM'), null]);
  });

  it('carries jobs per minute in, out and failed, null where the system reports none', () => {
    const [emails, reports] = queuesReply.queues['worker-orders'];
    const throughput = { in: 42, out: 40.5, failed: 1.5, source: 'events', windowMs: 10000 };
    const reply = { queues: { ...queuesReply.queues, 'worker-orders': [{ ...emails, throughput }, reports] } };
    const frame = queuesFrame('B', reply);
    const values = (name: string) => frame.fields.find((f) => f.name === name)?.values;
    expect(values('inPerMin')).toEqual([42, null, null]);
    expect(values('outPerMin')).toEqual([40.5, null, null]);
    expect(values('failedPerMin')).toEqual([1.5, null, null]);
    expect(frame.fields.find((f) => f.name === 'outPerMin')?.config.unit).toBe('suffix: /min');
    expect(frame.fields.find((f) => f.name === 'failedPerMin')?.config.displayName).toBe('Failed');
  });

  it('rejects a reply without queues', () => {
    expect(() => queuesFrame('B', [])).toThrow(/no "queues" object/);
  });
});
