import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { QueueHistoryStore } from '../../pulse/historyStore';
import { testIds } from '../testIds';
import { QueueHistoryContext } from './QueueHistoryContext';
import { QueueSection } from './QueueSection';

const ids = testIds.queueSection;
const T = Array.from({ length: 360 }, (_, i) => 1_700_000_000_000 + i * 10_000);
const emails = { name: 'emails', driver: 'bullmq', size: { waiting: 40, active: 1, failed: 3, delayed: 0 } };
const hostile = { ...emails, name: '"/><script>alert(1)</script>' };

/** The collector's history of `shop`: emails with throughput, the hostile queue without. */
const history = {
  service: 'shop',
  resolutionMs: 10_000,
  windowMs: 3_600_000,
  serverTime: T[359],
  queues: {
    emails: {
      t: T,
      waiting: T.map((_, i) => (i === 359 ? 40 : 12)),
      in: T.map(() => 6),
      out: T.map((_, i) => (i < 300 ? 4 : 5)),
      failureRate: T.map(() => 0.5),
      failureRateFrom: 'throughput',
    },
    [hostile.name]: { t: T.slice(0, 2), waiting: [1, 2], failureRate: [null, 3], failureRateFrom: 'failed-count' },
  },
};

function renderWith(fetch: () => Promise<unknown>, queues: unknown[]) {
  const store = new QueueHistoryStore({ fetch });
  render(
    <QueueHistoryContext.Provider value={store}>
      <QueueSection service="shop" nodeId="api-1" queues={queues} canControl={false} />
    </QueueHistoryContext.Provider>
  );
  return store;
}

describe('QueueSparklines', () => {
  it('draws waiting, in/out and failures per minute, each with a text summary', async () => {
    const store = renderWith(async () => history, [emails]);
    const row = (await screen.findByTestId(ids.sparklines)).closest(`[data-queue="emails"]`) as HTMLElement;
    const lines = within(row).getAllByTestId(ids.sparkline);
    expect(lines.map((svg) => svg.getAttribute('data-kind'))).toEqual(['waiting', 'flow', 'failure-rate']);
    expect(lines.map((svg) => svg.getAttribute('aria-label'))).toEqual([
      'waiting: 12 → 40 over 1 h',
      'in: 6 → 6/min over 1 h; out: 4 → 5/min over 1 h',
      'failed: 0.5 → 0.5/min over 1 h',
    ]);
    expect(within(row).getByRole('img', { name: 'waiting: 12 → 40 over 1 h' })).toBeInTheDocument();
    for (const path of row.querySelectorAll('path')) {
      expect(path.getAttribute('d')).toMatch(/^[ML0-9. -]+$/);
    }
    store.close();
  });

  it('keeps a hostile queue name out of the drawing, and says a rate from failed counts undercounts', async () => {
    const store = renderWith(async () => history, [hostile]);
    await screen.findByTestId(ids.sparklines);
    expect(document.querySelector('script')).toBeNull();
    const labels = screen.getAllByTestId(ids.sparkline).map((svg) => svg.getAttribute('aria-label'));
    expect(labels).toEqual([
      'waiting: 1 → 2 over 20 s',
      'failed: 3 → 3/min over 10 s (from increases of the failed count: failed jobs removed meanwhile are not counted)',
    ]);
    store.close();
  });

  it('draws nothing until there is a history, nor when the read fails', async () => {
    const store = renderWith(async () => {
      throw new Error('502');
    }, [emails]);
    await screen.findByTestId(ids.queue);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.queryByTestId(ids.sparklines)).toBeNull();
    store.close();
  });

  it('draws nothing outside a view that provides histories', () => {
    render(<QueueSection service="shop" nodeId="api-1" queues={[emails]} canControl={false} />);
    expect(screen.getByTestId(ids.queue)).toBeInTheDocument();
    expect(screen.queryByTestId(ids.sparklines)).toBeNull();
  });
});
