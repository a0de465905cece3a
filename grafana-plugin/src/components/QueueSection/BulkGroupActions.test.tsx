import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppEvents, OrgRole } from '@grafana/data';
import type { BackendSrvRequest } from '@grafana/runtime';
import { queuesReply } from '../../testing/collectorReplies';
import { fakeFetch, proxied } from '../../testing/fakeBackendSrv';
import { testIds } from '../testIds';
import { QueueSection } from './QueueSection';
import type { QueuePermissions } from './permissions';

// Grafana's services, stood in for: the proxy's fetch, the toast bus and the signed-in user.
let mockFetch = fakeFetch({});
const mockPublish = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
  getAppEvents: () => ({ publish: mockPublish }),
  config: { bootData: { user: { orgRole: OrgRole.Editor } } },
}));

const ids = testIds.queueSection;
const [emails] = queuesReply.queues['worker-orders'];
const NODE = 'worker-01';
const KEY = '0123456789abcdef';
/** The verb routes commands are POSTed to (`api/pulse/command/retry`, …). */
const COMMAND_ROUTE = proxied('api/pulse/command/');
const isCommand = (url: unknown) => String(url).startsWith(COMMAND_ROUTE);
const NOW = Date.now();
const sample = [1, 2, 3].map((n) => ({
  id: String(n),
  name: 'lookup',
  failedAt: NOW - n,
  reason: `User ${n} not found`,
}));
const queue = {
  ...emails,
  actions: ['retry', 'delete'],
  size: { ...emails.size, failed: 15 },
  failedSample: sample,
  failureGroups: {
    groups: [{ key: KEY, message: 'User <n> not found', count: 5, firstSeen: NOW, lastSeen: NOW, example: sample[0] }],
    others: 0,
    scanned: 15,
  },
};

/** The collector: each POST gets its own command id, whose status is `results[id]`. */
function collector(results: Record<string, unknown>) {
  let issued = 0;
  mockFetch = jest.fn((options: BackendSrvRequest) => {
    if (isCommand(options.url)) {
      const id = `cmd-${++issued}`;
      return fakeFetch({ [options.url]: { status: 202, data: { success: true, commandId: id } } })(options);
    }
    const id = String(options.url).split('/').pop() ?? '';
    const url = proxied(`api/pulse/commands/${id}`);
    return fakeFetch({ [url]: { status: 200, data: { commandId: id, status: 'succeeded', result: results[id] } } })(
      options
    );
  }) as typeof mockFetch;
}

const posts = () =>
  (mockFetch.mock.calls as Array<[BackendSrvRequest]>).filter(([o]) => o.method === 'POST').map(([o]) => o.data);

function renderQueue(permissions?: QueuePermissions) {
  return render(
    <QueueSection
      service="shop"
      nodeId={NODE}
      queues={[queue]}
      poll={{ intervalMs: 1 }}
      {...(permissions ? { permissions } : { canControl: true })}
    />
  );
}

beforeEach(() => mockPublish.mockClear());

describe('bulk actions on a failure group', () => {
  it('runs a dry run first, shows its blast radius, then retries the group and toasts what it did', async () => {
    collector({
      'cmd-1': { affected: 0, preview: { matched: 5, scanned: 15, complete: true, sample } },
      'cmd-2': { affected: 4, skipped: [{ reason: 'no longer failed', count: 1 }] },
    });
    renderQueue();
    await userEvent.click(screen.getByTestId(ids.groupRetry));
    const modal = await screen.findByTestId(ids.bulkPreview);
    expect(within(modal).getByTestId(ids.bulkRadius)).toHaveTextContent('5 jobs (exact)');
    expect(within(modal).getAllByTestId(ids.bulkSample)).toHaveLength(3);
    expect(posts()).toEqual([
      expect.objectContaining({ type: 'RETRY_JOB', scope: 'all-failed', fingerprint: KEY, dryRun: true }),
    ]);

    await userEvent.click(screen.getByTestId(ids.bulkConfirm));
    await waitFor(() =>
      expect(mockPublish).toHaveBeenCalledWith({
        type: AppEvents.alertSuccess.name,
        payload: ['retried 4 jobs; skipped 1 no longer failed'],
      })
    );
    expect(posts()[1]).toEqual(expect.objectContaining({ type: 'RETRY_JOB', scope: 'all-failed', fingerprint: KEY }));
    expect(posts()[1]).not.toHaveProperty('dryRun');
    expect(screen.queryByTestId(ids.bulkPreview)).toBeNull();
  });

  it('issues nothing but the dry run when the user cancels', async () => {
    collector({ 'cmd-1': { affected: 0, preview: { matched: 5, scanned: 15, complete: true, sample } } });
    renderQueue();
    await userEvent.click(screen.getByTestId(ids.groupDelete));
    await screen.findByTestId(ids.bulkPreview);
    await userEvent.click(screen.getByText('Cancel'));
    expect(posts()).toEqual([expect.objectContaining({ type: 'DELETE_JOB', dryRun: true })]);
  });

  it('toasts a dry run the agent refused, and shows no preview', async () => {
    mockFetch = jest.fn((options: BackendSrvRequest) =>
      isCommand(options.url)
        ? fakeFetch({ [options.url]: { status: 202, data: { success: true, commandId: 'cmd-1' } } })(options)
        : fakeFetch({
            [proxied('api/pulse/commands/cmd-1')]: {
              status: 200,
              data: { commandId: 'cmd-1', status: 'rejected', result: { reason: 'sqs queues cannot preview' } },
            },
          })(options)
    ) as typeof mockFetch;
    renderQueue();
    await userEvent.click(screen.getByTestId(ids.groupRetry));
    await waitFor(() =>
      expect(mockPublish).toHaveBeenCalledWith({
        type: AppEvents.alertError.name,
        payload: ['rejected: sqs queues cannot preview'],
      })
    );
    expect(screen.queryByTestId(ids.bulkPreview)).toBeNull();
  });

  it('shows each button only where the user holds its verb', () => {
    renderQueue(new Set(['retry']));
    expect(screen.getByTestId(ids.groupRetry)).toBeInTheDocument();
    expect(screen.queryByTestId(ids.groupDelete)).toBeNull();
  });

  it('offers no bulk button for a group whose key is not a fingerprint', () => {
    const hostile = {
      ...queue,
      failureGroups: { ...queue.failureGroups, groups: [{ ...queue.failureGroups.groups[0], key: '*' }] },
    };
    render(<QueueSection service="shop" nodeId={NODE} queues={[hostile]} canControl />);
    expect(screen.getAllByTestId(ids.failureGroup)).toHaveLength(1);
    expect(screen.queryByTestId(ids.groupRetry)).toBeNull();
  });
});
