import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OrgRole } from '@grafana/data';
import type { BackendSrvRequest } from '@grafana/runtime';
import { queuesReply } from '../../testing/collectorReplies';
import { fakeFetch, proxied } from '../../testing/fakeBackendSrv';
import { testIds } from '../testIds';
import { QueueSection } from './QueueSection';
import { readQueues } from '../../pulse/queue';
import { ALL_VERBS, NO_VERBS } from './permissions';

// jsdom lays nothing out, so it has neither observer; the Drawer's title and scroll shadows use them.
class NoLayoutResizeObserver implements ResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
class NoLayoutIntersectionObserver implements IntersectionObserver {
  readonly root = null;
  readonly rootMargin = '0px';
  readonly thresholds: readonly number[] = [];
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords(): IntersectionObserverEntry[] {
    return [];
  }
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver;
globalThis.IntersectionObserver ??= NoLayoutIntersectionObserver;

let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
  getAppEvents: () => ({ publish: jest.fn() }),
  config: { bootData: { user: { orgRole: 'Editor' as OrgRole } } },
}));

const ids = testIds.queueSection;
const ij = testIds.inspect;
const [emails] = queuesReply.queues['worker-orders'];
const NODE = 'worker-01-48213';
const inspectable = { ...emails, actions: ['retry', 'inspect'] };
const JOB_ID = emails.failedSample![0].id;

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';
const LONG = 'L'.repeat(60_000);

/** A payload as hostile as an agent may send, 200 levels deep, with control characters. */
function hostileData(): string {
  let nested: unknown = { end: SCRIPT };
  for (let i = 0; i < 200; i++) {
    nested = { next: nested };
  }
  return JSON.stringify({ html: IMG, password: '[REDACTED]', bytes: '\u0000\u0001\u00ff\ufffd', nested, LONG });
}

const hostileJob = (over: Record<string, unknown> = {}) => ({
  queue: 'emails',
  id: JOB_ID,
  name: `<b>${IMG}</b>`,
  state: 'failed',
  data: hostileData(),
  opts: '{"attempts":3,"backoff":{"type":"fixed","delay":1000}}',
  returnValue: SCRIPT,
  attemptsMade: 3,
  maxAttempts: 3,
  timestamps: { createdAt: 1_700_000_000_000, finishedAt: 8.7e15 },
  failedReason: IMG,
  stacktrace: [`Error: ${IMG}\n    at send (/app/mail.js:1:1)`],
  logs: [SCRIPT, 'x'.repeat(20_000)],
  redacted: 2,
  truncated: ['data'],
  __proto__: { polluted: true },
  constructor: { prototype: { polluted: true } },
  ...over,
});

/** The collector: the POST, then a succeeded status, then `job` at the job route. */
function collector(job: unknown, jobStatus = 200) {
  mockFetch = jest.fn((options: BackendSrvRequest) =>
    fakeFetch({
      [proxied('api/pulse/command/inspect')]: { status: 202, data: { success: true, commandId: 'cmd-9' } },
      [proxied('api/pulse/commands/cmd-9')]: {
        status: 200,
        data: { commandId: 'cmd-9', status: 'succeeded', hasJob: true, result: { affected: 1 } },
      },
      [proxied('api/pulse/inspections/cmd-9/job')]: { status: jobStatus, data: job },
    })(options)
  ) as typeof mockFetch;
}

const posts = () =>
  (mockFetch.mock.calls as Array<[BackendSrvRequest]>).filter(([o]) => o.method === 'POST').map(([o]) => o.data);

function renderSection(permissions = ALL_VERBS, queues: unknown[] = [inspectable]) {
  return render(
    <QueueSection
      service="worker-orders"
      nodeId={NODE}
      queues={queues}
      poll={{ intervalMs: 1 }}
      permissions={permissions}
    />
  );
}

afterEach(() => {
  delete (window as unknown as Record<string, unknown>).__pwned;
});

describe('the inspection drawer', () => {
  it('inspects a failed job and renders every hostile value as text', async () => {
    collector({ commandId: 'cmd-9', job: hostileJob() });
    renderSection();
    await userEvent.click(screen.getAllByTestId(ids.inspect)[0]);
    const drawer = await screen.findByTestId(ij.data);
    expect(posts()).toEqual([
      {
        service: 'worker-orders',
        nodeId: NODE,
        type: 'INSPECT_JOB',
        queue: 'emails',
        driver: 'bullmq',
        jobId: JOB_ID,
        scope: 'job',
      },
    ]);
    const body = screen.getByTestId(ij.drawer);
    // Markup is shown as the characters it is made of: no element came out of it.
    expect(body.querySelector('img, script, b')).toBeNull();
    expect(within(body).getByTestId(ij.failedReason).textContent).toBe(IMG);
    expect(within(body).getByTestId(ij.returnValue).textContent).toBe(SCRIPT);
    expect(drawer.textContent).toContain(`"html": "<img src=x onerror=\\"window.__pwned=1\\">"`);
    expect(drawer.textContent).toContain('"password": "[REDACTED]"');
    expect(drawer.textContent).toContain(LONG);
    expect(drawer.textContent).toContain('\\u0000\\u0001');
    // Every level of the nesting is there, the innermost script as text.
    expect(drawer.textContent?.match(/"next"/g)).toHaveLength(200);
    expect(drawer.textContent).toContain(`"end": "${SCRIPT}"`);
    expect(within(body).getByTestId(ij.logs).textContent).toContain(SCRIPT);
    expect(within(body).getByTestId(ij.stacktrace).textContent).toContain(IMG);
    expect(within(body).getByTestId(ij.redacted)).toHaveTextContent('2 values redacted');
    expect(within(body).getByTestId(ij.truncated)).toHaveTextContent('cut to fit: data');
    const facts = within(body)
      .getAllByTestId(ij.fact)
      .map((f) => [f.getAttribute('data-fact'), f.querySelector('dd')?.textContent]);
    expect(facts).toEqual([
      ['Queue', 'emails'],
      ['Id', JOB_ID],
      ['Name', `<b>${IMG}</b>`],
      ['State', 'failed'],
      ['Attempts', '3 of 3'],
      ['Created', new Date(1_700_000_000_000).toISOString()],
    ]);
    expect((window as unknown as Record<string, unknown>).__pwned).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('renders only text nodes inside every block', async () => {
    collector({ commandId: 'cmd-9', job: hostileJob() });
    renderSection();
    await userEvent.click(screen.getAllByTestId(ids.inspect)[0]);
    await screen.findByTestId(ij.data);
    for (const id of [ij.data, ij.opts, ij.returnValue, ij.failedReason, ij.stacktrace, ij.logs]) {
      const pre = screen.getByTestId(id);
      expect(pre.tagName).toBe('PRE');
      expect(Array.from(pre.childNodes).every((node) => node.nodeType === Node.TEXT_NODE)).toBe(true);
    }
  });

  it.each([
    ['a reply without a job', { commandId: 'cmd-9' }],
    ['a job without an id', { job: { ...hostileJob(), id: undefined } }],
    ['a job whose id is an object', { job: { ...hostileJob(), id: { toString: 'x' } } }],
    ['a job that is a string', { job: IMG }],
  ])('shows an error for %s', async (_what, reply) => {
    collector(reply);
    renderSection();
    await userEvent.click(screen.getAllByTestId(ids.inspect)[0]);
    const error = await screen.findByTestId(ij.error);
    expect(error).toHaveTextContent('The collector sent no readable job');
  });

  it("shows the collector's refusal, and nothing of the job", async () => {
    collector(
      {
        error: {
          code: 'QUASAR_MISSING_SCOPE',
          message: 'this token lacks the scope "inspect", which this route needs',
        },
      },
      403
    );
    renderSection();
    await userEvent.click(screen.getAllByTestId(ids.inspect)[0]);
    const error = await screen.findByTestId(ij.error);
    expect(error).toHaveTextContent('lacks the scope "inspect"');
    expect(screen.queryByTestId(ij.data)).toBeNull();
  });

  it('drops fields of the wrong type and bounds the lists', async () => {
    collector({
      job: hostileJob({
        data: { not: 'text' },
        attemptsMade: -3,
        maxAttempts: 'many',
        redacted: 1e300,
        logs: Array.from({ length: 5000 }, (_, i) => `line ${i}`),
        stacktrace: 'not a list',
        truncated: [IMG, 7],
      }),
    });
    renderSection();
    await userEvent.click(screen.getAllByTestId(ids.inspect)[0]);
    const logs = await screen.findByTestId(ij.logs);
    expect(logs.textContent?.split('\n')).toHaveLength(100);
    expect(screen.queryByTestId(ij.data)).toBeNull();
    expect(screen.queryByTestId(ij.stacktrace)).toBeNull();
    expect(screen.getByTestId(ij.redacted)).toHaveTextContent('0 values redacted');
    expect(screen.getByTestId(ij.truncated).textContent).toBe(` · cut to fit: ${IMG}`);
    expect(screen.queryAllByTestId(ij.fact).map((f) => f.getAttribute('data-fact'))).not.toContain('Attempts');
  });

  it('finds a job by id across every queue of the node, and closes', async () => {
    collector({ job: hostileJob({ queue: 'reports', id: 'job-77' }) });
    renderSection();
    await userEvent.type(screen.getByTestId(ids.findJobInput), '  job-77 ');
    await userEvent.click(screen.getByTestId(ids.findJobSubmit));
    await screen.findByTestId(ij.data);
    expect(posts()).toEqual([
      { service: 'worker-orders', nodeId: NODE, type: 'INSPECT_JOB', queue: '*', jobId: 'job-77', scope: 'job' },
    ]);
    await userEvent.click(screen.getByRole('button', { name: /close/i }));
    await waitFor(() => expect(screen.queryByTestId(ij.drawer)).toBeNull());
  });

  it('offers Inspect and Find only where the user holds inspect and the agent allows it', () => {
    renderSection(new Set(['retry', 'delete']));
    expect(screen.queryByTestId(ids.inspect)).toBeNull();
    expect(screen.queryByTestId(ids.findJob)).toBeNull();
  });

  it('offers neither on a queue whose agent does not allow inspect, nor to a viewer', () => {
    const { unmount } = renderSection(ALL_VERBS, [{ ...emails, actions: ['retry'] }]);
    expect(screen.queryByTestId(ids.inspect)).toBeNull();
    expect(screen.queryByTestId(ids.findJob)).toBeNull();
    unmount();
    renderSection(NO_VERBS);
    expect(screen.queryByTestId(ids.inspect)).toBeNull();
    expect(readQueues([inspectable])[0].actions).toContain('inspect');
  });
});
