import React from 'react';
import { render, screen } from '@testing-library/react';
import { queuesReply } from '../../testing/collectorReplies';
import { OUT_OF_RANGE_TIME } from '../../testing/hostileReplies';
import { testIds } from '../testIds';
import { FailedJobs } from './FailedJobs';
import { formatCount } from './format';
import { QueueSection } from './QueueSection';

const ids = testIds.queueSection;
const [emails] = queuesReply.queues['worker-orders'];

describe('failed jobs at an instant no Date can hold', () => {
  it('lists the job without a time, instead of failing to render the section', () => {
    const failedSample = [{ ...emails.failedSample![0], failedAt: OUT_OF_RANGE_TIME }];
    render(
      <QueueSection
        service="worker-orders"
        nodeId="worker-01"
        queues={[{ ...emails, failedSample }]}
        canControl={false}
      />
    );
    const job = screen.getByTestId(ids.failedJob);
    expect(job).toHaveTextContent('#981 send-receipt');
    expect(job).toHaveTextContent('SMTP 421');
    expect(job).not.toHaveTextContent('ago');
  });

  it('lists a job handed to it directly with an out-of-range time, without a time', () => {
    const job = { id: '981', name: 'send-receipt', failedAt: OUT_OF_RANGE_TIME, reason: null };
    render(
      <FailedJobs
        jobs={[job]}
        canRetry={false}
        canDelete={false}
        inFlight={new Set<string>()}
        onRetry={jest.fn()}
        onDelete={jest.fn()}
        now={0}
      />
    );
    expect(screen.getByTestId(ids.failedJob)).toHaveTextContent('#981 send-receipt');
    expect(screen.getByTestId(ids.failedJob)).not.toHaveTextContent('ago');
  });
});

describe('formatCount', () => {
  it('shows a dash for a count that is not a whole number of jobs', () => {
    expect(formatCount(5400)).toBe('5,400');
    expect(formatCount(-1)).toBe('—');
    expect(formatCount(1.5)).toBe('—');
    expect(formatCount(2 ** 60)).toBe('—');
  });
});
