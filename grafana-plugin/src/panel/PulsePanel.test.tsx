import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EventBusSrv, getDefaultTimeRange, LoadingState, type PanelProps } from '@grafana/data';
import { testIds } from '../components/testIds';
import type { PulseViewProps } from '../pages/Pulse/PulseView';
import { bunNode, goNode, nodesReply, sdkNode } from '../testing/collectorReplies';
import { hostileNodesReply, nodeWithFailedAtOutOfRange, PROTOTYPE_SERVICES } from '../testing/hostileReplies';
import { fakeFetch, proxied } from '../testing/fakeBackendSrv';
import { OVERVIEW_THRESHOLD } from '../pages/Pulse/layout';
import { DEFAULT_OPTIONS } from './options';
import { paintedTile, recordCanvases, tileIds, tileOf } from '../testing/overviewTiles';
import { PulsePanel } from './PulsePanel';
import type { PulsePanelOptions } from './types';

// Grafana's backendSrv, replaced by the stand-in that answers like the app's proxy.
let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
}));

// The real view, unless a test makes it throw while rendering.
let mockViewThrows = false;
jest.mock('../pages/Pulse/PulseView', () => {
  const actual = jest.requireActual('../pages/Pulse/PulseView');
  return {
    ...actual,
    PulseView(props: PulseViewProps) {
      if (mockViewThrows) {
        throw new TypeError("Cannot read properties of undefined (reading 'nodes')");
      }
      return <actual.PulseView {...props} />;
    },
  };
});

const timeRange = getDefaultTimeRange();

function panelProps(options: Partial<PulsePanelOptions>): PanelProps<PulsePanelOptions> {
  return {
    id: 1,
    data: { state: LoadingState.Done, series: [], timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    transparent: false,
    width: 800,
    height: 600,
    fieldConfig: { defaults: {}, overrides: [] },
    renderCounter: 0,
    title: 'Pulse',
    eventBus: new EventBusSrv(),
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    replaceVariables: (value: string) => value,
    onChangeTimeRange: jest.fn(),
  };
}

const cardIds = () => screen.getAllByTestId(testIds.nodeCard.card).map((c) => c.getAttribute('data-node-id'));

/** The level a card's usage bar is coloured at. */
function levelOf(nodeId: string, barTestId: string): string | null | undefined {
  const card = screen.getAllByTestId(testIds.nodeCard.card).find((c) => c.getAttribute('data-node-id') === nodeId);
  return within(card!).getByTestId(barTestId).querySelector('[data-level]')?.getAttribute('data-level');
}

afterEach(() => {
  mockViewThrows = false;
  jest.restoreAllMocks();
});

beforeEach(() => {
  // No EventSource in the test browser: the view falls back to polling, which these tests never reach.
  Object.defineProperty(window, 'EventSource', { value: undefined, configurable: true, writable: true });
  mockFetch = fakeFetch({ [proxied('api/pulse/nodes')]: { status: 200, data: nodesReply } });
});

let restoreCanvases: () => void;
beforeAll(() => {
  restoreCanvases = recordCanvases();
});
afterAll(() => restoreCanvases());

describe('PulsePanel', () => {
  it('reads the nodes through the app proxy and shows every service by default', async () => {
    render(<PulsePanel {...panelProps({})} />);
    await screen.findAllByTestId(testIds.nodeCard.card);
    expect(cardIds()).toEqual([sdkNode.id, goNode.id, bunNode.id]);
    expect(mockFetch).toHaveBeenCalledWith(expect.objectContaining({ url: proxied('api/pulse/nodes') }));
  });

  it('narrows to the services matching the service option', async () => {
    render(<PulsePanel {...panelProps({ service: 'WORKER' })} />);
    await screen.findAllByTestId(testIds.nodeCard.card);
    expect(cardIds()).toEqual([bunNode.id]);
    expect(screen.getAllByTestId(testIds.pulse.group).map((g) => g.getAttribute('data-service'))).toEqual([
      'worker-orders',
    ]);
  });

  it('starts on the status option, and follows it when it changes', async () => {
    const { rerender } = render(<PulsePanel {...panelProps({ status: 'stale' })} />);
    await screen.findAllByTestId(testIds.nodeCard.card);
    expect(cardIds()).toEqual([goNode.id]);

    rerender(<PulsePanel {...panelProps({ status: 'all' })} />);
    expect(cardIds()).toEqual([sdkNode.id, goNode.id, bunNode.id]);
  });

  it('colours the cards with the CPU and memory thresholds from its options', async () => {
    const { rerender } = render(<PulsePanel {...panelProps({ service: 'worker' })} />);
    await screen.findAllByTestId(testIds.nodeCard.card);
    // The Bun node uses 23% system CPU and about 46% of system memory.
    expect(levelOf(bunNode.id, testIds.nodeCard.cpuSystem)).toBe('ok');
    expect(levelOf(bunNode.id, testIds.nodeCard.ramSystem)).toBe('ok');

    rerender(
      <PulsePanel
        {...panelProps({ service: 'worker', cpuWarning: 20, cpuCritical: 50, memoryWarning: 30, memoryCritical: 45 })}
      />
    );
    expect(levelOf(bunNode.id, testIds.nodeCard.cpuSystem)).toBe('warning');
    expect(levelOf(bunNode.id, testIds.nodeCard.ramSystem)).toBe('critical');
  });

  it('shows the overview when its view option says so, with the tile metric option, and follows the option', async () => {
    const { rerender } = render(<PulsePanel {...panelProps({ view: 'overview', tileMetric: 'memory' })} />);
    await screen.findAllByTestId(testIds.overview.tile);
    const tile = tileOf(bunNode.id);
    expect(screen.queryByTestId(testIds.nodeCard.card)).not.toBeInTheDocument();
    expect(paintedTile(tile).fill).toBe(5); // memory 45.6% of a 12 px tile
    expect(screen.getByRole('radio', { name: 'Memory' })).toBeChecked();

    rerender(<PulsePanel {...panelProps({ view: 'overview', tileMetric: 'cpu' })} />);
    expect(paintedTile(tile).fill).toBe(3); // CPU 23%
    rerender(<PulsePanel {...panelProps({ view: 'cards' })} />);
    await screen.findAllByTestId(testIds.nodeCard.card);
    expect(cardIds()).toEqual([sdkNode.id, goNode.id, bunNode.id]);
  });

  it('shows the overview past the threshold on auto, the default of a dashboard saved before the option', async () => {
    const many = Array.from({ length: OVERVIEW_THRESHOLD + 1 }, (_, i) => ({ ...bunNode, id: `n-${i}` }));
    mockFetch = fakeFetch({
      [proxied('api/pulse/nodes')]: { status: 200, data: { nodes: { 'worker-orders': many } } },
    });
    const { view: _view, ...saved } = DEFAULT_OPTIONS;
    render(<PulsePanel {...panelProps({})} options={saved as PulsePanelOptions} />);
    await screen.findAllByTestId(testIds.overview.tile);
    expect(tileIds()).toHaveLength(OVERVIEW_THRESHOLD + 1);
  });

  it('shows the updates paused when live updates are off, and live again when turned on', async () => {
    const { rerender } = render(<PulsePanel {...panelProps({ live: false })} />);
    await screen.findAllByTestId(testIds.nodeCard.card);
    expect(screen.getByTestId(testIds.pulse.liveState)).toHaveAttribute('data-state', 'paused');

    rerender(<PulsePanel {...panelProps({ live: true })} />);
    expect(screen.getByTestId(testIds.pulse.liveState)).toHaveAttribute('data-state', 'live');
  });

  it('shows every node of a reply with a failed job at an instant no Date can hold', async () => {
    mockFetch = fakeFetch({ [proxied('api/pulse/nodes')]: { status: 200, data: hostileNodesReply() } });
    render(<PulsePanel {...panelProps({})} />);
    await screen.findAllByTestId(testIds.nodeCard.card);
    expect(cardIds()).toHaveLength(3 + 1 + PROTOTYPE_SERVICES.length);
    expect(cardIds()).toContain(nodeWithFailedAtOutOfRange.id);
  });

  it('shows the error with a Retry, in the panel, when the view throws', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    mockViewThrows = true;
    render(<PulsePanel {...panelProps({})} />);
    expect(screen.getByTestId(testIds.errorBoundary.page)).toHaveTextContent(
      "This panel could not be shownCannot read properties of undefined (reading 'nodes')"
    );

    mockViewThrows = false;
    await userEvent.click(screen.getByTestId(testIds.errorBoundary.retry));
    await screen.findAllByTestId(testIds.nodeCard.card);
    expect(cardIds()).toEqual([sdkNode.id, goNode.id, bunNode.id]);
  });
});
