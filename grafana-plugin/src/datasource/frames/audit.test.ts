import { auditReply } from '../../testing/collectorReplies';
import { auditFrame } from './audit';

describe('auditFrame', () => {
  const frame = auditFrame('D', auditReply);
  const values = (name: string) => frame.fields.find((f) => f.name === name)?.values;

  it('has one row per command with its action and target', () => {
    expect(frame.length).toBe(2);
    expect(values('commandId')).toEqual(['cmd-2', 'cmd-1']);
    expect(values('action')).toEqual(['RETRY_JOB', 'DELETE_JOB']);
    expect(values('scope')).toEqual(['all-failed', 'job']);
    expect(values('jobId')).toEqual(['', '77']);
  });

  it('joins the outcome: status, jobs affected and the rejection reason', () => {
    expect(values('outcome')).toEqual(['succeeded', 'rejected']);
    expect(values('affected')).toEqual([12, 0]);
    expect(values('reason')).toEqual([null, 'verb not enabled on queue reports']);
  });

  it('leaves affected empty for a command still pending', () => {
    const pending = auditFrame('D', { entries: [{ id: 'cmd-3', at: 1, outcome: { status: 'pending' } }] });
    expect(pending.fields.find((f) => f.name === 'affected')?.values).toEqual([null]);
  });
});
