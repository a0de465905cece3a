import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { bunNode } from '../../testing/collectorReplies';
import { fakeFetch, proxied } from '../../testing/fakeBackendSrv';
import { OVERVIEW_THRESHOLD } from './layout';
import { paintedTile, recordCanvases, tileIds } from '../../testing/overviewTiles';
import { PulsePage } from './PulsePage';

// Grafana's backendSrv, replaced by the stand-in that answers like the app's proxy.
let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
}));

beforeEach(() => {
  // No EventSource in the test browser: the page falls back to polling, which these tests never reach.
  Object.defineProperty(window, 'EventSource', { value: undefined, configurable: true, writable: true });
});

/** `count` Bun nodes over two services. */
function fleet(count: number) {
  const nodes = Array.from({ length: count }, (_, i) => ({ ...bunNode, id: `node-${i}`, service: `svc-${i % 2}` }));
  return { nodes: { 'svc-0': nodes.filter((_, i) => i % 2 === 0), 'svc-1': nodes.filter((_, i) => i % 2 === 1) } };
}

async function renderFleet(count: number) {
  mockFetch = fakeFetch({ [proxied('api/pulse/nodes')]: { status: 200, data: fleet(count) } });
  render(<PulsePage />);
  await screen.findByTestId(testIds.pulse.layout);
  await settled();
}

/** Until the whole nodes the cards need have arrived. */
const settled = () => waitFor(() => expect(screen.queryByTestId(testIds.pulse.loading)).not.toBeInTheDocument());

const layoutShown = () =>
  screen.queryByTestId(testIds.overview.root)
    ? 'overview'
    : screen.queryAllByTestId(testIds.pulse.group).length
      ? 'cards'
      : 'none';
const choose = (name: string) => fireEvent.click(screen.getByRole('radio', { name }));

let restoreCanvases: () => void;
beforeAll(() => {
  restoreCanvases = recordCanvases();
});
afterAll(() => restoreCanvases());

describe('PulsePage layout', () => {
  it(`shows cards up to ${OVERVIEW_THRESHOLD} nodes and the overview above`, async () => {
    await renderFleet(OVERVIEW_THRESHOLD);
    expect(layoutShown()).toBe('cards');
    expect(screen.getByRole('radio', { name: 'Cards' })).toBeChecked();
  });

  it(`shows every node as a tile above ${OVERVIEW_THRESHOLD} nodes`, async () => {
    await renderFleet(OVERVIEW_THRESHOLD + 1);
    expect(layoutShown()).toBe('overview');
    expect(screen.getByRole('radio', { name: 'Overview' })).toBeChecked();
    expect(tileIds()).toHaveLength(OVERVIEW_THRESHOLD + 1);
    expect(screen.queryByTestId(testIds.nodeCard.card)).not.toBeInTheDocument();
  });

  it("keeps the user's choice over the fleet's size, and the search never flips it", async () => {
    await renderFleet(OVERVIEW_THRESHOLD + 1);
    choose('Cards');
    await settled();
    expect(layoutShown()).toBe('cards');
    fireEvent.change(screen.getByLabelText('Search nodes'), { target: { value: 'node-1' } });
    expect(layoutShown()).toBe('cards');
    choose('Overview');
    fireEvent.change(screen.getByLabelText('Search nodes'), { target: { value: 'node-20' } });
    expect(layoutShown()).toBe('overview');
    expect(tileIds()).toEqual(['node-20', 'node-200']);
  });

  it('offers the overview for a small fleet too, and CPU or memory for its tiles', async () => {
    await renderFleet(3);
    expect(screen.queryByTestId(testIds.pulse.metric)).not.toBeInTheDocument();
    choose('Overview');
    const tile = within(screen.getByTestId(testIds.overview.root)).getAllByTestId(testIds.overview.tile)[0];
    expect(paintedTile(tile).fill).toBe(3); // CPU 23% of a 12 px tile
    choose('Memory');
    expect(paintedTile(tile).fill).toBe(5); // memory 45.6%
    fireEvent.click(tile);
    expect(screen.getByTestId(testIds.nodeCard.card)).toHaveAttribute('data-node-id', 'node-0');
    // The open card carries its queues section, as in the cards layout.
    expect(within(screen.getByTestId(testIds.nodeCard.card)).getByTestId(testIds.queueSection.queue)).toHaveTextContent(
      'default'
    );
  });
});
