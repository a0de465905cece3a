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

  it('rejects a reply without queues', () => {
    expect(() => queuesFrame('B', [])).toThrow(/no "queues" object/);
  });
});
