// getBackendSrv is Grafana's; the fake in src/testing stands in for it, since no Grafana server
// runs in these tests.
import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../../components/testIds';
import { auditReply, auditReplyOtherOutcomes } from '../../testing/collectorReplies';
import { BAD_GATEWAY, fakeFetch, proxied, type FakeReply } from '../../testing/fakeBackendSrv';
import { AUDIT_LIMIT, AuditPage } from './Audit';

let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
}));

const AUDIT = proxied('api/pulse/audit');
const ok = (data: unknown): FakeReply => ({ status: 200, data });

async function bodyRows() {
  const table = await screen.findByRole('table');
  return within(table).getAllByRole('row').slice(1);
}

describe('AuditPage', () => {
  it('lists who issued each command, on what, and what became of it', async () => {
    mockFetch = fakeFetch({ [AUDIT]: ok(auditReply) });
    render(<AuditPage collectorUrl="http://collector:8080" />);

    const [retry, del] = await bodyRows();
    expect(retry).toHaveTextContent('2026-01-04 04:13:20');
    expect(retry).toHaveTextContent('alice (Grafana user)');
    expect(retry).toHaveTextContent('RETRY_JOB');
    expect(retry).toHaveTextContent('worker-orders');
    expect(retry).toHaveTextContent('worker-01-48213');
    expect(retry).toHaveTextContent('emails');
    expect(retry).toHaveTextContent('all-failed');
    expect(within(retry).getByTestId(testIds.audit.outcome)).toHaveTextContent('succeeded12 jobs');

    expect(del).toHaveTextContent('token (API token)');
    expect(del).toHaveTextContent('DELETE_JOB');
    expect(del).toHaveTextContent('job 77');
    expect(within(del).getByTestId(testIds.audit.outcome)).toHaveTextContent(
      'rejectedverb not enabled on queue reports'
    );
    expect(mockFetch.mock.calls[0][0].params).toEqual({ limit: AUDIT_LIMIT });
  });

  it('shows pending, expired and failed commands with the failure reason', async () => {
    mockFetch = fakeFetch({ [AUDIT]: ok(auditReplyOtherOutcomes) });
    render(<AuditPage />);

    const outcomes = (await bodyRows()).map((row) => within(row).getByTestId(testIds.audit.outcome).textContent);
    expect(outcomes).toEqual(['pending', 'expired', 'failed3 jobsqueue emails: connection lost']);
  });

  it('shows the collector unreachable, with the URL tried', async () => {
    mockFetch = fakeFetch({ [AUDIT]: BAD_GATEWAY });
    render(<AuditPage collectorUrl="http://collector:8080" />);

    const error = await screen.findByTestId(testIds.audit.error);
    expect(error).toHaveTextContent('Could not read from the collector at http://collector:8080');
    expect(error).toHaveTextContent('Collector unreachable (Bad Gateway)');
  });

  it('says when no command has been issued yet', async () => {
    mockFetch = fakeFetch({ [AUDIT]: ok({ entries: [] }) });
    render(<AuditPage />);

    expect(await screen.findByTestId(testIds.audit.empty)).toHaveTextContent('No job actions recorded');
  });

  it('reads older entries with the cursor the collector gave, and appends them', async () => {
    const newest = fakeFetch({ [AUDIT]: ok({ ...auditReply, next: '1767500000100-0' }) });
    const older = fakeFetch({ [AUDIT]: ok(auditReplyOtherOutcomes) });
    mockFetch = jest.fn((options: { params?: Record<string, unknown> }) =>
      options.params?.before === undefined ? newest(options as never) : older(options as never)
    ) as unknown as typeof mockFetch;
    render(<AuditPage />);

    expect(await bodyRows()).toHaveLength(2);
    expect(screen.queryByTestId(testIds.audit.end)).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId(testIds.audit.older));

    await waitFor(async () => expect(await bodyRows()).toHaveLength(5));
    expect(mockFetch.mock.calls[1][0].params).toEqual({ limit: AUDIT_LIMIT, before: '1767500000100-0' });
    const outcomes = (await bodyRows()).map((row) => within(row).getByTestId(testIds.audit.outcome).textContent);
    expect(outcomes.slice(2)).toEqual(['pending', 'expired', 'failed3 jobsqueue emails: connection lost']);
    expect(screen.queryByTestId(testIds.audit.older)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.audit.end)).toHaveTextContent('No older entries');
  });

  it('offers no Older button on the last page, nor for a cursor that is not a stream id', async () => {
    mockFetch = fakeFetch({ [AUDIT]: ok({ ...auditReply, next: 'x; DROP' }) });
    render(<AuditPage />);

    expect(await bodyRows()).toHaveLength(2);
    expect(screen.queryByTestId(testIds.audit.older)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.audit.end)).toBeInTheDocument();
  });

  it('keeps the rows it has when reading older entries fails, and says why', async () => {
    const newest = fakeFetch({ [AUDIT]: ok({ ...auditReply, next: '1767500000100-0' }) });
    const failing = fakeFetch({ [AUDIT]: BAD_GATEWAY });
    mockFetch = jest.fn((options: { params?: Record<string, unknown> }) =>
      options.params?.before === undefined ? newest(options as never) : failing(options as never)
    ) as unknown as typeof mockFetch;
    render(<AuditPage />);

    await bodyRows();
    await userEvent.click(screen.getByTestId(testIds.audit.older));

    expect(await screen.findByTestId(testIds.audit.olderError)).toHaveTextContent('Collector unreachable');
    expect(await bodyRows()).toHaveLength(2);
    expect(screen.getByTestId(testIds.audit.older)).toBeEnabled();
  });

  it('reads the trail again on refresh', async () => {
    mockFetch = fakeFetch({ [AUDIT]: ok({ entries: [] }) });
    render(<AuditPage />);
    await screen.findByTestId(testIds.audit.empty);

    mockFetch = fakeFetch({ [AUDIT]: ok(auditReply) });
    await userEvent.click(screen.getByTestId(testIds.audit.refresh));
    expect(await bodyRows()).toHaveLength(2);
  });
});
