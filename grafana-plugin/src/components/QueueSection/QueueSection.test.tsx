import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppEvents, OrgRole, PluginContextProvider, type PluginMeta } from '@grafana/data';
import type { BackendSrvRequest } from '@grafana/runtime';
import { queuesReply } from '../../testing/collectorReplies';
import { fakeFetch, proxied, type FakeReply } from '../../testing/fakeBackendSrv';
import { testIds } from '../testIds';
import { QueueSection } from './QueueSection';

// Grafana's services, stood in for: the proxy's fetch, the toast bus and the signed-in user.
let mockFetch = fakeFetch({});
const mockPublish = jest.fn();
let mockRole: string = OrgRole.Editor;
// The user's RBAC actions, as Grafana puts them in the boot data; undefined: none sent.
let mockPermissions: Record<string, boolean> | undefined;
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
  getAppEvents: () => ({ publish: mockPublish }),
  config: {
    get bootData() {
      return { user: { orgRole: mockRole, permissions: mockPermissions } };
    },
  },
}));

const ids = testIds.queueSection;
const FAST_POLL = { intervalMs: 1 };
const [emails, reports] = queuesReply.queues['worker-orders'];
const NODE = 'worker-01-48213';
const RETRY_URL = proxied('api/pulse/command/retry');
const DELETE_URL = proxied('api/pulse/command/delete');
const STATUS_URL = proxied('api/pulse/commands/cmd-7');

const controllable = { ...emails, actions: ['retry', 'delete'], size: { ...emails.size, failed: 12 } };

/**
 * The collector for one command: `post` answers the POST, then the status route answers each
 * reply of `statuses` in turn, repeating the last.
 */
function collector(post: FakeReply, statuses: unknown[] = []) {
  let read = 0;
  mockFetch = jest.fn((options: BackendSrvRequest) => {
    if (options.url === STATUS_URL) {
      const data = statuses[Math.min(read++, statuses.length - 1)];
      return fakeFetch({ [STATUS_URL]: { status: 200, data } })(options);
    }
    return fakeFetch({ [RETRY_URL]: post, [DELETE_URL]: post })(options);
  }) as typeof mockFetch;
}

const ACCEPTED: FakeReply = { status: 202, data: { success: true, commandId: 'cmd-7', message: 'sent' } };
const PENDING = { commandId: 'cmd-7', status: 'pending' };

function renderSection(queues: unknown[] = [controllable], canControl?: boolean) {
  return render(
    <QueueSection service="worker-orders" nodeId={NODE} queues={queues} poll={FAST_POLL} canControl={canControl} />
  );
}

const posts = () =>
  (mockFetch.mock.calls as Array<[BackendSrvRequest]>).filter(([o]) => o.method === 'POST').map(([o]) => o.data);
const postUrls = () =>
  (mockFetch.mock.calls as Array<[BackendSrvRequest]>).filter(([o]) => o.method === 'POST').map(([o]) => o.url);

beforeEach(() => {
  mockFetch = fakeFetch({});
  mockPublish.mockClear();
  mockRole = OrgRole.Editor;
  mockPermissions = undefined;
});

describe('QueueSection display', () => {
  it('shows name, driver, every count in order and a stacked bar of them', () => {
    renderSection([emails]);
    const queue = screen.getByTestId(ids.queue);
    expect(within(queue).getByText('emails')).toBeInTheDocument();
    expect(within(queue).getByText('bullmq')).toBeInTheDocument();
    const counts = screen.getAllByTestId(ids.count).map((c) => c.textContent);
    expect(counts).toEqual(['waiting120', 'active4', 'delayed7', 'failed2', 'completed5,400']);
    const segments = screen.getAllByTestId(ids.barSegment);
    expect(segments.map((s) => s.getAttribute('data-state'))).toEqual([
      'waiting',
      'active',
      'delayed',
      'failed',
      'completed',
    ]);
    const total = 120 + 4 + 7 + 2 + 5400;
    expect(segments[0].style.width).toBe(`${(120 / total) * 100}%`);
    expect(screen.getByTestId(ids.bar)).toHaveAccessibleName(
      'emails: waiting 120, active 4, delayed 7, failed 2, completed 5400'
    );
    expect(screen.getByTestId(ids.oldestWaiting)).toHaveTextContent('oldest waiting 45s');
    expect(screen.queryByTestId(ids.paused)).not.toBeInTheDocument();
  });

  it('keeps the primary states at zero but hides the other states while they are zero', () => {
    renderSection([
      { ...emails, size: { waiting: 0, active: 0, delayed: 0, failed: 3, completed: 0, prioritized: 2, paused: 0 } },
    ]);
    const counts = screen.getAllByTestId(ids.count).map((c) => c.getAttribute('data-state'));
    expect(counts).toEqual(['waiting', 'active', 'delayed', 'failed', 'prioritized']);
  });

  it('lists the failed sample with id, name, reason and a relative time', () => {
    renderSection([{ ...emails, failedSample: [{ ...emails.failedSample![0], failedAt: Date.now() - 125_000 }] }]);
    const job = screen.getByTestId(ids.failedJob);
    expect(job).toHaveTextContent('#981 send-receipt · 2m ago');
    expect(job).toHaveTextContent('SMTP 421');
  });

  it('shows the probe error instead of counts', () => {
    renderSection([reports]);
    expect(screen.getByTestId(ids.error)).toHaveTextContent('NOPERM this user has no permissions');
    expect(screen.queryByTestId(ids.count)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.bar)).not.toBeInTheDocument();
  });

  it('shows jobs in, out and failed per minute when the agent measured them', () => {
    renderSection([
      { ...emails, throughput: { in: 1240.4, out: 2.54, failed: 0, source: 'events', windowMs: 10_000 } },
    ]);
    expect(screen.getByTestId(ids.throughput)).toHaveTextContent('1,240/min in · 2.5/min out · 0/min failed');
  });

  it('shows a dash for an in rate the system does not count, and nothing without a throughput', () => {
    renderSection([
      { ...emails, throughput: { out: 4, source: 'horizon' } },
      { ...emails, name: 'quiet' },
      { ...emails, name: 'junk', throughput: { in: 1, out: -3 } },
    ]);
    const shown = screen.getAllByTestId(ids.throughput);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toHaveTextContent(/^— in · 4\/min out$/);
  });

  it('marks a paused queue and skips unreadable entries', () => {
    renderSection([{ ...emails, paused: true }, 'junk', { size: {} }]);
    expect(screen.getAllByTestId(ids.queue)).toHaveLength(1);
    expect(screen.getByTestId(ids.paused)).toHaveTextContent('paused');
  });
});

describe('QueueSection gating', () => {
  it('shows no buttons where the queue lists no actions', () => {
    renderSection([emails]);
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('shows only the verbs the queue allows', () => {
    renderSection([{ ...controllable, actions: ['retry'] }]);
    expect(screen.getByTestId(ids.retry)).toBeInTheDocument();
    expect(screen.getByTestId(ids.retryAll)).toBeInTheDocument();
    expect(screen.queryByTestId(ids.delete)).not.toBeInTheDocument();
  });

  it("reads the signed-in user's role: Viewers see no buttons", () => {
    mockRole = OrgRole.Viewer;
    const { unmount } = renderSection();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    unmount();

    mockRole = OrgRole.Admin;
    renderSection();
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Retry all failed', 'Retry', 'Delete']);
  });

  it("reads the user's RBAC actions when Grafana sends them: an Editor without delete retries only", () => {
    mockPermissions = {
      'gravito-quasar-app.queues:read': true,
      'gravito-quasar-app.jobs:retry': true,
      'gravito-quasar-app.jobs:delete': false,
    };
    renderSection();
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Retry all failed', 'Retry']);
  });

  it('lets a Viewer granted delete through RBAC delete, whatever the basic role', () => {
    mockRole = OrgRole.Viewer;
    mockPermissions = { 'gravito-quasar-app.jobs:delete': true };
    renderSection();
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Delete']);
  });

  it("shows no buttons to anyone while the app's read-only switch is on", () => {
    mockRole = OrgRole.Admin;
    const meta = (readOnly: boolean) =>
      ({ id: 'gravito-quasar-app', jsonData: { collectorUrl: 'http://c', readOnly } }) as unknown as PluginMeta;
    const section = <QueueSection service="worker-orders" nodeId={NODE} queues={[controllable]} poll={FAST_POLL} />;
    const { unmount } = render(<PluginContextProvider meta={meta(true)}>{section}</PluginContextProvider>);
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    unmount();

    render(<PluginContextProvider meta={meta(false)}>{section}</PluginContextProvider>);
    expect(screen.getAllByRole('button')).toHaveLength(3);
  });

  it('shows no buttons on a queue whose probe failed', () => {
    renderSection([{ ...reports, actions: ['retry', 'delete'] }], true);
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });
});

/** Clicks a job's Retry and confirms it in the modal. */
async function retryConfirmed() {
  await userEvent.click(screen.getByTestId(ids.retry));
  await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Retry' }));
}

describe('QueueSection actions', () => {
  it('asks before deleting: cancel sends nothing, confirm POSTs the exact command', async () => {
    collector(ACCEPTED, [{ commandId: 'cmd-7', status: 'succeeded', result: { affected: 1 } }]);
    renderSection();

    await userEvent.click(screen.getByTestId(ids.delete));
    expect(screen.getByRole('dialog')).toHaveTextContent('Delete job 981 from queue emails');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(mockFetch).not.toHaveBeenCalled();

    await userEvent.click(screen.getByTestId(ids.delete));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(mockPublish).toHaveBeenCalled());
    expect(posts()).toEqual([
      {
        service: 'worker-orders',
        nodeId: NODE,
        type: 'DELETE_JOB',
        queue: 'emails',
        driver: 'bullmq',
        jobId: '981',
        scope: 'job',
      },
    ]);
    expect(postUrls()).toEqual([DELETE_URL]);
    expect(mockPublish).toHaveBeenCalledWith({ type: AppEvents.alertSuccess.name, payload: ['deleted 1 job'] });
  });

  it('retries all failed after confirmation, polls past pending and toasts the affected count', async () => {
    collector(ACCEPTED, [PENDING, PENDING, { commandId: 'cmd-7', status: 'succeeded', result: { affected: 12 } }]);
    renderSection();

    await userEvent.click(screen.getByTestId(ids.retryAll));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Retry all' }));
    expect(screen.getByTestId(ids.retryAll)).toBeDisabled();
    await waitFor(() =>
      expect(mockPublish).toHaveBeenCalledWith({ type: AppEvents.alertSuccess.name, payload: ['retried 12 jobs'] })
    );
    expect(posts()).toEqual([
      {
        service: 'worker-orders',
        nodeId: NODE,
        type: 'RETRY_JOB',
        queue: 'emails',
        driver: 'bullmq',
        scope: 'all-failed',
      },
    ]);
    expect(postUrls()).toEqual([RETRY_URL]);
    expect(mockFetch.mock.calls.filter(([o]) => o.url === STATUS_URL)).toHaveLength(3);
    await waitFor(() => expect(screen.getByTestId(ids.retryAll)).toBeEnabled());
  });

  it('asks before retrying one job: cancel sends nothing', async () => {
    collector(ACCEPTED, [{ commandId: 'cmd-7', status: 'succeeded', result: { affected: 1 } }]);
    renderSection();

    await userEvent.click(screen.getByTestId(ids.retry));
    expect(screen.getByRole('dialog')).toHaveTextContent('Retry job 981 of queue emails');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(mockFetch).not.toHaveBeenCalled();
  });

  it('retries one job once confirmed, and shows a rejection with its reason', async () => {
    collector(ACCEPTED, [
      {
        commandId: 'cmd-7',
        status: 'rejected',
        result: { affected: 0, reason: 'delete is not enabled on queue emails' },
      },
    ]);
    renderSection();

    await retryConfirmed();
    await waitFor(() =>
      expect(mockPublish).toHaveBeenCalledWith({
        type: AppEvents.alertError.name,
        payload: ['rejected: delete is not enabled on queue emails'],
      })
    );
    expect(posts()).toEqual([expect.objectContaining({ type: 'RETRY_JOB', jobId: '981', scope: 'job', nodeId: NODE })]);
  });

  it("shows the collector's message when no agent listens (409)", async () => {
    collector({
      status: 409,
      data: {
        success: false,
        commandId: 'cmd-7',
        error: { code: 'QUASAR_NO_SUBSCRIBER', message: 'no agent is listening on quasar:cmd:worker-orders' },
      },
    });
    renderSection();

    await retryConfirmed();
    await waitFor(() =>
      expect(mockPublish).toHaveBeenCalledWith({
        type: AppEvents.alertError.name,
        payload: ['no agent is listening on quasar:cmd:worker-orders (QUASAR_NO_SUBSCRIBER)'],
      })
    );
    expect(mockFetch.mock.calls.filter(([o]) => o.url === STATUS_URL)).toHaveLength(0);
    expect(screen.getByTestId(ids.retry)).toBeEnabled();
  });

  it('follows a pending command until the collector expires it', async () => {
    collector(ACCEPTED, [PENDING, PENDING, { commandId: 'cmd-7', status: 'expired' }]);
    renderSection();

    await retryConfirmed();
    await waitFor(() =>
      expect(mockPublish).toHaveBeenCalledWith({
        type: AppEvents.alertError.name,
        payload: ['expired: no agent answered before the deadline'],
      })
    );
  });
});
