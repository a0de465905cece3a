import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FailureGroups } from '../../pulse/failure-groups';
import type { FailedJob } from '../../pulse/queue';
import { testIds } from '../testIds';
import { FailedSection, type FailedSectionProps } from './FailedSection';
import { MAX_QUERY_LENGTH } from './searchFailures';

const ids = testIds.queueSection;
const NOW = 1767500000000;

const jobs: FailedJob[] = [
  ...Array.from({ length: 6 }, (_, n) => ({
    id: String(100 + n),
    name: 'charge-card',
    failedAt: NOW - n,
    reason: `Card ending ${4242 + n} declined by issuer`,
  })),
  ...Array.from({ length: 4 }, (_, n) => ({
    id: String(200 + n),
    name: 'reserve-stock',
    failedAt: NOW - n,
    reason: `Deadlock on row ${n * 17} of "inventory"`,
  })),
  { id: '300', name: 'notify-carrier', failedAt: NOW, reason: 'Carrier 10.0.3.1:8443 timed out after 3001 ms' },
];
const groups: FailureGroups = {
  groups: [
    {
      key: '0123456789abcdef',
      message: 'Card ending <n> declined by issuer',
      frame: 'chargeCard (/app/src/billing/charge.js)',
      count: 6,
      firstSeen: NOW,
      lastSeen: NOW,
      example: jobs[0]!,
    },
    {
      key: '1123456789abcdef',
      message: 'Deadlock on row <n> of <str>',
      frame: 'reserveStock (/app/src/stock/reserve.js)',
      count: 4,
      firstSeen: NOW,
      lastSeen: NOW,
      example: jobs[6]!,
    },
    {
      key: '2123456789abcdef',
      message: 'Carrier <ip> timed out after <n> ms',
      frame: null,
      count: 1,
      firstSeen: NOW,
      lastSeen: NOW,
      example: jobs[10]!,
    },
  ],
  others: 0,
  scanned: 11,
};

function renderSection(props: Partial<FailedSectionProps> = {}) {
  const handlers = { onRetry: jest.fn(), onDelete: jest.fn(), onInspect: jest.fn(), onBulk: jest.fn() };
  render(
    <FailedSection
      queue="orders"
      groups={groups}
      failed={11}
      jobs={jobs}
      canRetry
      canDelete
      canInspect
      inFlight={new Set<string>()}
      onRetry={handlers.onRetry}
      onDelete={handlers.onDelete}
      onInspect={handlers.onInspect}
      now={NOW}
      groupActions={{ canRetry: true, canDelete: true, isBusy: () => false, onBulk: handlers.onBulk }}
      {...props}
    />
  );
  return handlers;
}

const shownJobs = () => screen.queryAllByTestId(ids.failedJob).map((job) => job.getAttribute('data-job-id'));
const shownGroups = () => screen.queryAllByTestId(ids.failureGroup).map((group) => group.getAttribute('data-key'));

describe('searching a queue failures by name or error', () => {
  it('narrows the groups and opens the matching jobs, and counts both', async () => {
    const user = userEvent.setup();
    renderSection();
    const box = screen.getByTestId(ids.failureSearch);
    expect(box).toHaveAccessibleName('Search the failures of orders by name or error');
    expect(screen.queryByTestId(ids.failureSearchSummary)).not.toBeInTheDocument();
    expect(shownJobs()).toEqual([]);

    await user.type(box, 'deadlock');
    expect(shownGroups()).toEqual(['1123456789abcdef']);
    expect(shownJobs()).toEqual(['200', '201', '202', '203']);
    expect(screen.getByTestId(ids.failureSearchSummary)).toHaveTextContent('1 of 3 groups · 4 of 11 jobs match');
    // The jobs opened because of the search: the toggle would only contradict it.
    expect(screen.queryByTestId(ids.failedJobsToggle)).not.toBeInTheDocument();

    await user.clear(box);
    expect(shownGroups()).toHaveLength(3);
    expect(shownJobs()).toEqual([]);
    expect(screen.getByTestId(ids.failedJobsToggle)).toHaveTextContent('Show the 11 newest failed jobs');
  });

  it('matches a job by id or name and a group by its frame', async () => {
    const user = userEvent.setup();
    renderSection();
    const box = screen.getByTestId(ids.failureSearch);
    await user.type(box, '300');
    expect(shownJobs()).toEqual(['300']);
    expect(shownGroups()).toEqual(['2123456789abcdef']);

    await user.clear(box);
    await user.type(box, 'Stock/Reserve.js');
    expect(shownGroups()).toEqual(['1123456789abcdef']);
    expect(screen.getByTestId(ids.failureSearchSummary)).toHaveTextContent('1 of 3 groups · 0 of 11 jobs match');
  });

  it('says so when nothing matches', async () => {
    const user = userEvent.setup();
    renderSection();
    await user.type(screen.getByTestId(ids.failureSearch), 'out of memory');
    expect(shownGroups()).toEqual([]);
    expect(shownJobs()).toEqual([]);
    expect(screen.getByTestId(ids.failureSearchEmpty)).toHaveTextContent('No failure groups or failed jobs match');
    expect(screen.queryByTestId(ids.failureSearchSummary)).not.toBeInTheDocument();
  });

  it('keeps the buttons of the items it shows acting on those items', async () => {
    const user = userEvent.setup();
    const handlers = renderSection();
    await user.type(screen.getByTestId(ids.failureSearch), 'deadlock');
    const group = screen.getByTestId(ids.failureGroup);
    await user.click(within(group).getByTestId(ids.groupRetry));
    await user.click(within(group).getByTestId(ids.groupDelete));
    expect(handlers.onBulk.mock.calls.map(([verb, g]) => [verb, g.key])).toEqual([
      ['retry', '1123456789abcdef'],
      ['delete', '1123456789abcdef'],
    ]);

    const [, second] = screen.getAllByTestId(ids.failedJob);
    await user.click(within(second!).getByTestId(ids.retry));
    await user.click(within(second!).getByTestId(ids.delete));
    await user.click(within(second!).getByTestId(ids.inspect));
    expect(handlers.onRetry).toHaveBeenCalledWith(jobs[7]);
    expect(handlers.onDelete).toHaveBeenCalledWith(jobs[7]);
    expect(handlers.onInspect).toHaveBeenCalledWith(jobs[7]);
  });

  it('filters the jobs of an agent that sends no groups, without group counts', async () => {
    const user = userEvent.setup();
    renderSection({ groups: null });
    expect(shownJobs()).toHaveLength(11);
    await user.type(screen.getByTestId(ids.failureSearch), 'CARRIER');
    expect(shownJobs()).toEqual(['300']);
    expect(screen.getByTestId(ids.failureSearchSummary)).toHaveTextContent(/^1 of 11 jobs match$/);
  });

  it('shows no search where there is nothing to search', () => {
    renderSection({ groups: null, jobs: [] });
    expect(screen.queryByTestId(ids.failureSearch)).not.toBeInTheDocument();
  });

  it('takes a pasted query literally and bounded, as text', async () => {
    const user = userEvent.setup();
    renderSection();
    const box = screen.getByTestId(ids.failureSearch);
    expect(box).toHaveAttribute('maxLength', String(MAX_QUERY_LENGTH));
    await user.click(box);
    await user.paste('<n>');
    // `<n>` is in every normalised message, and in no job's own text.
    expect(shownGroups()).toHaveLength(3);
    expect(shownJobs()).toEqual([]);

    await user.clear(box);
    await user.paste('.*');
    expect(screen.getByTestId(ids.failureSearchEmpty)).toBeInTheDocument();

    await user.clear(box);
    await user.paste('<img src=x onerror="window.pwned=1">'.repeat(50));
    expect((box as HTMLInputElement).value).toHaveLength(MAX_QUERY_LENGTH);
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByTestId(ids.failureSearchEmpty)).toBeInTheDocument();
  });
});
