import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppEvents } from '@grafana/data';
import type { BackendSrvRequest } from '@grafana/runtime';
import { MAX_LABEL_LENGTH } from '../../api/limits';
import { queuesReply } from '../../testing/collectorReplies';
import { fakeFetch, proxied, type FakeReply } from '../../testing/fakeBackendSrv';
import { testIds } from '../testIds';
import { QueueSection } from './QueueSection';
import type { QueuePermissions } from './permissions';

let mockFetch = fakeFetch({});
const mockPublish = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
  getAppEvents: () => ({ publish: mockPublish }),
}));

const ids = testIds.queueSection;
const FAST_POLL = { intervalMs: 1 };
const [emails] = queuesReply.queues['worker-orders'];
const NODE = 'worker-01-48213';
const STATUS_URL = proxied('api/pulse/commands/cmd-9');
const ACCEPTED: FakeReply = { status: 202, data: { success: true, commandId: 'cmd-9', message: 'sent' } };
const EVERY: QueuePermissions = new Set(['retry', 'delete', 'inspect', 'pause', 'promote']);

const running = { ...emails, paused: false, actions: ['pause', 'promote'] };
const paused = { ...running, paused: true, pausedBy: 'ada', pausedAt: Date.now() - 5 * 60_000 };

function collector(result: unknown) {
  mockFetch = jest.fn((options: BackendSrvRequest) =>
    options.url === STATUS_URL
      ? fakeFetch({ [STATUS_URL]: { status: 200, data: { commandId: 'cmd-9', ...(result as object) } } })(options)
      : fakeFetch({ [options.url]: ACCEPTED })(options)
  ) as typeof mockFetch;
}

const posts = () =>
  (mockFetch.mock.calls as Array<[BackendSrvRequest]>).filter(([o]) => o.method === 'POST').map(([o]) => o.data);
/** The proxy routes the POSTs went to: each verb has its own, gated by its own RBAC action. */
const postedTo = () =>
  (mockFetch.mock.calls as Array<[BackendSrvRequest]>).filter(([o]) => o.method === 'POST').map(([o]) => o.url);

function renderQueue(queue: unknown, permissions: QueuePermissions = EVERY) {
  return render(
    <QueueSection service="worker-orders" nodeId={NODE} queues={[queue]} poll={FAST_POLL} permissions={permissions} />
  );
}

beforeEach(() => {
  mockFetch = fakeFetch({});
  mockPublish.mockClear();
});

describe('the paused badge', () => {
  it('says who paused the queue and how long ago, the exact time in its title', () => {
    renderQueue(paused);
    expect(screen.getByTestId(ids.paused)).toHaveTextContent('paused');
    const by = screen.getByTestId(ids.pausedBy);
    expect(by).toHaveTextContent(/^by ada, [56]m ago$/);
    expect(by).toHaveAttribute('title', new Date(paused.pausedAt).toISOString());
  });

  it('shows a queue paused outside Quasar as paused, naming no one', () => {
    renderQueue({ ...running, paused: true });
    expect(screen.getByTestId(ids.paused)).toBeInTheDocument();
    expect(screen.queryByTestId(ids.pausedBy)).not.toBeInTheDocument();
  });

  it('reads the pauser defensively: a running queue, a mistyped or oversized name, a bad time', () => {
    const { unmount } = renderQueue({ ...paused, paused: false });
    expect(screen.queryByTestId(ids.paused)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.pausedBy)).not.toBeInTheDocument();
    unmount();
    renderQueue({ ...paused, pausedBy: { toString: 'x' }, pausedAt: 'soon' });
    expect(screen.queryByTestId(ids.pausedBy)).not.toBeInTheDocument();
  });

  it('cuts a long name and leaves out a time it cannot show', () => {
    renderQueue({ ...paused, pausedBy: 'x'.repeat(5_000), pausedAt: -1 });
    const text = screen.getByTestId(ids.pausedBy).textContent ?? '';
    // `by ` and the name cut to a label's 128 characters.
    expect(text).toHaveLength(3 + MAX_LABEL_LENGTH);
    expect(text).not.toContain('ago');
  });
});

describe('pause, resume and promote', () => {
  it('shows each button only where the user holds the verb and the agent enabled it', () => {
    const { unmount } = renderQueue(running, new Set(['retry']));
    expect(screen.queryByTestId(ids.pause)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.promote)).not.toBeInTheDocument();
    unmount();
    renderQueue({ ...running, actions: ['promote'] });
    expect(screen.queryByTestId(ids.pause)).not.toBeInTheDocument();
    expect(screen.getByTestId(ids.promote)).toBeInTheDocument();
  });

  it('asks before pausing, saying what happens on every node; cancel sends nothing', async () => {
    renderQueue(running);
    await userEvent.click(screen.getByTestId(ids.pause));
    expect(screen.getByRole('dialog')).toHaveTextContent(
      'Workers stop taking new jobs from emails on every node; jobs in progress finish.'
    );
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(mockFetch).not.toHaveBeenCalled();
  });

  it('pauses once confirmed: PAUSE_QUEUE with scope queue, and a toast', async () => {
    collector({ status: 'succeeded', result: { affected: 1 } });
    renderQueue(running);
    await userEvent.click(screen.getByTestId(ids.pause));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Pause' }));
    await waitFor(() =>
      expect(mockPublish).toHaveBeenCalledWith({ type: AppEvents.alertSuccess.name, payload: ['paused emails'] })
    );
    expect(posts()).toEqual([
      {
        service: 'worker-orders',
        nodeId: NODE,
        queue: 'emails',
        driver: 'bullmq',
        type: 'PAUSE_QUEUE',
        scope: 'queue',
      },
    ]);
  });

  it('offers Resume on a paused queue and sends RESUME_QUEUE; none affected says so', async () => {
    collector({ status: 'succeeded', result: { affected: 0 } });
    renderQueue(paused);
    expect(screen.queryByTestId(ids.pause)).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId(ids.resume));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Resume' }));
    await waitFor(() =>
      expect(mockPublish).toHaveBeenCalledWith({
        type: AppEvents.alertSuccess.name,
        payload: ['emails was already running'],
      })
    );
    expect(posts()).toEqual([expect.objectContaining({ type: 'RESUME_QUEUE', scope: 'queue' })]);
    expect(postedTo()).toEqual([proxied('api/pulse/command/pause')]);
  });

  it('promotes the delayed jobs once confirmed, and shows a refusal with its reason', async () => {
    collector({ status: 'rejected', result: { affected: 0, reason: 'Laravel has no promotion' } });
    renderQueue(running);
    await userEvent.click(screen.getByTestId(ids.promote));
    expect(screen.getByRole('dialog')).toHaveTextContent('Promote the delayed jobs of queue emails?');
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Promote' }));
    await waitFor(() =>
      expect(mockPublish).toHaveBeenCalledWith({
        type: AppEvents.alertError.name,
        payload: ['rejected: Laravel has no promotion'],
      })
    );
    expect(posts()).toEqual([expect.objectContaining({ type: 'PROMOTE_JOB', scope: 'all-delayed' })]);
    expect(postedTo()).toEqual([proxied('api/pulse/command/promote')]);
  });

  it('disables Promote delayed when the queue has no delayed job', () => {
    renderQueue({ ...running, size: { ...running.size, delayed: 0 } });
    expect(screen.getByTestId(ids.promote)).toBeDisabled();
  });
});
