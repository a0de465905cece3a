import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { queuesReply } from '../../testing/collectorReplies';
import { testIds } from '../testIds';
import { QueueSection } from './QueueSection';

const ids = testIds.queueSection;
const [emails] = queuesReply.queues['worker-orders'];
const NOW = 1767500000000;

const failedSample = Array.from({ length: 12 }, (_, i) => ({
  id: String(900 + i),
  name: i < 8 ? 'send-receipt' : 'charge-card',
  failedAt: NOW - i * 60_000,
  reason: i < 8 ? `SMTP 421 after ${3000 + i} ms` : `Card ${4000 + i} declined`,
}));
const failureGroups = {
  groups: [
    {
      key: '0123456789abcdef',
      message: 'SMTP <n> after <n> ms',
      frame: 'sendMail (/app/mail.js)',
      count: 8,
      firstSeen: NOW - 7 * 60_000,
      lastSeen: NOW,
      example: failedSample[0],
    },
    {
      key: 'fedcba9876543210',
      message: 'Card <n> declined',
      count: 4,
      firstSeen: NOW - 11 * 60_000,
      lastSeen: NOW - 8 * 60_000,
      example: failedSample[8],
    },
  ],
  others: 0,
  scanned: 12,
};
const queue = { ...emails, size: { ...emails.size, failed: 12 }, failedSample, failureGroups };

function renderQueue(value: unknown) {
  return render(<QueueSection service="worker-orders" nodeId="worker-01" queues={[value]} canControl={false} />);
}

describe('failure groups in the queue section', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW + 5_000, doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
  });
  afterEach(() => jest.useRealTimers());

  it('shows the groups first, with message, frame, count, first and last seen, and an example', () => {
    renderQueue(queue);
    const groups = screen.getAllByTestId(ids.failureGroup);
    expect(groups.map((g) => within(g).getByTestId(ids.failureGroupCount).textContent)).toEqual(['×8', '×4']);
    expect(groups[0]).toHaveTextContent('SMTP <n> after <n> ms');
    expect(groups[0]).toHaveTextContent('at sendMail (/app/mail.js)');
    expect(groups[0]).toHaveTextContent('first 7m ago · last 5s ago · e.g. #900 send-receipt');
    expect(groups[1]).toHaveTextContent('Card <n> declined');
    expect(groups[1]).not.toHaveTextContent(' at ');
    expect(screen.getByTestId(ids.failureGroups)).toHaveTextContent('the newest 12 failed');
  });

  it('shows the individual failed jobs only on demand', async () => {
    const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
    renderQueue(queue);
    expect(screen.queryAllByTestId(ids.failedJob)).toHaveLength(0);
    const toggle = screen.getByTestId(ids.failedJobsToggle);
    expect(toggle).toHaveTextContent('Show the 12 newest failed jobs');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');

    await user.click(toggle);
    expect(screen.getAllByTestId(ids.failedJob)).toHaveLength(12);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');

    await user.click(toggle);
    expect(screen.queryAllByTestId(ids.failedJob)).toHaveLength(0);
  });

  it('searches the groups and the failed jobs by an error word, on the page', async () => {
    const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
    renderQueue(queue);
    const box = screen.getByRole('textbox', { name: 'Search the failures of emails by name or error' });
    await user.type(box, 'declined');
    expect(screen.getAllByTestId(ids.failureGroup).map((g) => g.getAttribute('data-key'))).toEqual([
      'fedcba9876543210',
    ]);
    expect(screen.getAllByTestId(ids.failedJob).map((j) => j.getAttribute('data-job-id'))).toEqual([
      '908',
      '909',
      '910',
      '911',
    ]);
    expect(screen.getByTestId(ids.failureSearchSummary)).toHaveTextContent('1 of 2 groups · 4 of 12 jobs match');
  });

  it('says how many failures are in the groups not shown, and of how many failed', () => {
    renderQueue({
      ...queue,
      size: { ...queue.size, failed: 5400 },
      failureGroups: { ...failureGroups, others: 37, scanned: 100 },
    });
    expect(screen.getByTestId(ids.failureGroupOthers)).toHaveTextContent('and 37 more in other groups');
    expect(screen.getByTestId(ids.failureGroups)).toHaveTextContent('the newest 100 of 5,400 failed');
  });

  it('lists the jobs as before when the agent sends no groups', () => {
    renderQueue({ ...queue, failureGroups: undefined });
    expect(screen.queryByTestId(ids.failureGroups)).not.toBeInTheDocument();
    expect(screen.getAllByTestId(ids.failedJob)).toHaveLength(12);
  });

  it('renders hostile values as text, and skips groups it cannot read', () => {
    const markup = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>';
    const hostile = {
      ...failureGroups,
      groups: [
        {
          ...failureGroups.groups[0],
          message: markup,
          frame: `${markup} (/app/${'x'.repeat(5_000)}.js)`,
          example: { id: '__proto__', name: markup },
        },
        { ...failureGroups.groups[0] },
        { key: 'a', message: 'no count', example: { id: '1' } },
        { key: 'b', message: 'NaN count', count: NaN, example: { id: '1' } },
        { key: 'c', message: 'no example', count: 3 },
        { key: 'constructor', message: 'fine', count: 1, firstSeen: -1, lastSeen: 1e300, example: { id: '2' } },
        null,
        'text',
      ],
    };
    const { container } = renderQueue({ ...queue, failureGroups: hostile });
    const groups = screen.getAllByTestId(ids.failureGroup);
    expect(groups).toHaveLength(2);
    expect(groups[0]).toHaveTextContent(markup);
    expect(groups[0]).toHaveTextContent('e.g. #__proto__');
    expect(groups[0]?.textContent?.length).toBeLessThan(1_000);
    expect(groups[1]).toHaveTextContent('fine');
    expect(groups[1]).not.toHaveTextContent('ago');
    expect(container.querySelector('img, script')).toBeNull();
    expect((window as { pwned?: number }).pwned).toBeUndefined();
  });

  it.each([
    null,
    'groups',
    { groups: [] },
    { groups: 'x', others: 0, scanned: 1 },
    { groups: [], others: -1, scanned: 0 },
  ])('lists the jobs when failureGroups is %p', (value) => {
    renderQueue({ ...queue, failureGroups: value });
    expect(screen.queryByTestId(ids.failureGroups)).not.toBeInTheDocument();
    expect(screen.getAllByTestId(ids.failedJob)).toHaveLength(12);
  });
});
