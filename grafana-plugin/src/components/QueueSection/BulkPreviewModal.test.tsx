import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { CommandPreview, SkippedJobs } from '../../api/commands';
import { testIds } from '../testIds';
import { BulkPreviewModal } from './BulkPreviewModal';

const ids = testIds.queueSection;
const NOW = 1767500000000;
const job = (n: number) => ({ id: String(n), name: 'lookup', failedAt: NOW - n, reason: `User ${n} not found` });

function show(preview: CommandPreview, skipped: SkippedJobs[] = [], verb: 'retry' | 'delete' = 'retry') {
  const onConfirm = jest.fn();
  const onDismiss = jest.fn();
  render(
    <BulkPreviewModal
      verb={verb}
      queue="orders"
      message="User <str> not found"
      preview={preview}
      skipped={skipped}
      onConfirm={onConfirm}
      onDismiss={onDismiss}
    />
  );
  return { onConfirm, onDismiss };
}

describe('BulkPreviewModal', () => {
  it('shows an exact count, the newest matching jobs and that all of them will be retried', async () => {
    const { onConfirm } = show({ matched: 5, scanned: 15, complete: true, sample: [1, 2, 3, 4, 5].map(job) });
    expect(screen.getByTestId(ids.bulkRadius)).toHaveTextContent('5 jobs (exact)');
    expect(screen.getAllByTestId(ids.bulkSample).map((li) => li.textContent)).toEqual(
      [1, 2, 3, 4, 5].map((n) => expect.stringContaining(`#${n} lookup`))
    );
    expect(screen.getByTestId(ids.bulkCap)).toHaveTextContent('All 5 jobs will be retried, in paced batches.');
    await userEvent.click(screen.getByTestId(ids.bulkConfirm));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('says "at least" when the agent did not scan every failed job, and shows the cap', () => {
    show(
      { matched: 1200, scanned: 10_000, complete: false, sample: [job(1)] },
      [{ reason: 'over maxJobsPerCommand', count: 200 }],
      'delete'
    );
    expect(screen.getByTestId(ids.bulkRadius)).toHaveTextContent(
      'at least 1,200 jobs (1,200 of the 10,000 newest failed jobs scanned)'
    );
    expect(screen.getByTestId(ids.bulkCap)).toHaveTextContent(
      "At most 1,000 jobs will be deleted (the agent's maxJobsPerCommand); 200 jobs stay for a later run."
    );
    expect(screen.getByTestId(ids.bulkConfirm)).toHaveTextContent('Delete 1,000');
  });

  it('renders hostile agent text as text, and never offers to act on nothing', async () => {
    const evil = '<img src=x onerror="window.pwned=1">';
    const { onConfirm, onDismiss } = show(
      {
        matched: 2,
        scanned: 2,
        complete: true,
        sample: [
          { id: evil, name: evil, failedAt: null, reason: evil },
          { id: 'constructor', name: null, failedAt: Number.NaN, reason: null },
        ],
      },
      // An agent claiming more over the cap than it matched.
      [{ reason: 'over maxJobsPerCommand', count: 99 }]
    );
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getAllByTestId(ids.bulkSample)[0]).toHaveTextContent(evil);
    expect(screen.getByTestId(ids.bulkConfirm)).toBeDisabled();
    expect(screen.getByTestId(ids.bulkCap)).toHaveTextContent('At most 0 jobs');
    await userEvent.click(screen.getByTestId(ids.bulkConfirm));
    expect(onConfirm).not.toHaveBeenCalled();
    await userEvent.click(screen.getByText('Cancel'));
    expect(onDismiss).toHaveBeenCalled();
  });

  it('shows a dash for counts nobody can show, and no sample list when there is none', () => {
    show({ matched: Number.MAX_SAFE_INTEGER + 2, scanned: 0, complete: true, sample: [] });
    expect(screen.getByTestId(ids.bulkRadius)).toHaveTextContent('— jobs (exact)');
    expect(screen.queryAllByTestId(ids.bulkSample)).toHaveLength(0);
  });
});
