import React, { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, EmptyState, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { FleetOverview, type OverviewMetric } from '../../components/FleetOverview';
import type { UsageThresholds } from '../../components/NodeCard';
import { QueueHistoryContext, QueueSection } from '../../components/QueueSection';
import { testIds } from '../../components/testIds';
import type { PulseNode } from '../../pulse/node';
import { withServicePauses } from '../../pulse/queue-pauses';
import { filterNodes, groupByService, type StatusFilter } from './filterNodes';
import { resolveLayout, type LayoutChoice } from './layout';
import { NodeDetailCard } from './NodeDetailCard';
import { rememberedSort } from './nodeOrder';
import { PulseToolbar } from './PulseToolbar';
import { ServiceGroup } from './ServiceGroup';
import { useDebouncedValue } from './useDebouncedValue';
import { useQueueHistoryStore } from './useQueueHistoryStore';
import { nodeKey, usePulseData, type PulseDataQuery } from './usePulseData';

/** How long the search must rest before the collector is asked again. */
export const SEARCH_DEBOUNCE_MS = 300;

const NO_QUEUES: unknown[] = [];

/** For counting, where the order does not matter. */
const unsorted = (nodes: readonly PulseNode[]) => nodes.slice();

/** Props of {@link PulseView}. The page sets none of the scoping props; the panel's options do. */
export interface PulseViewProps {
  /** Where the configured collector lives, for the error message. */
  collectorUrl?: string;
  /** Shown above the nodes, e.g. the app's connection check. */
  status?: ReactNode;
  /** Only services whose name contains this text (case-insensitive). */
  service?: string;
  /** The status filter to start with, and to switch to whenever it changes. */
  statusFilter?: StatusFilter;
  /** Whether updates are applied; when set, the view follows it whenever it changes. */
  live?: boolean;
  /** CPU usage levels for the cards. Memoise it. */
  cpuThresholds?: UsageThresholds;
  /** Memory usage levels for the cards. Memoise it. */
  memoryThresholds?: UsageThresholds;
  /** Cards, the fleet overview, or `auto` (the overview past `OVERVIEW_THRESHOLD` nodes); the toolbar's choice wins until this changes. */
  layout?: LayoutChoice;
  /** What the overview's tiles show to start with, and whenever it changes. */
  metric?: OverviewMetric;
}

/** How an agent starts reporting, for the empty state. */
export const AGENT_SNIPPET = `new QuasarAgent({ service, transport: { url } }).start()`;

/** The Pulse experience without the page chrome, shared by the app page and the panel. */
export function PulseView({
  collectorUrl,
  status,
  service = '',
  statusFilter: initialStatus = 'all',
  live,
  cpuThresholds,
  memoryThresholds,
  layout: initialLayout = 'auto',
  metric: initialMetric = 'cpu',
}: PulseViewProps) {
  const s = useStyles2(getStyles);
  const [search, setSearch] = useState('');
  const [statusFilter, setStatusFilter] = useState<StatusFilter>(initialStatus);
  // The collector filters first, so only matching nodes cross the wire; the view's own filter
  // below keeps its exact meaning (the service option is a substring, which `q` over-matches).
  const serverSearch = useDebouncedValue(search.trim() || service.trim(), SEARCH_DEBOUNCE_MS);
  const [layoutChoice, setLayoutChoice] = useState<LayoutChoice>(initialLayout);
  // The fleet's size as last known: `auto` asks for summaries until it is, then whatever its
  // layout shows. It follows the server's fleet total (or the service's nodes), which no search or
  // status filter changes, so the choice settles once.
  const [knownTotal, setKnownTotal] = useState<number | null>(null);
  const fields = fieldsFor(layoutChoice, knownTotal);
  const query = useMemo<PulseDataQuery>(
    () => ({
      status: statusFilter === 'all' || statusFilter === 'unknown' ? undefined : statusFilter,
      search: serverSearch,
      fields,
    }),
    [statusFilter, serverSearch, fields]
  );
  const { data, transport, paused, setPaused } = usePulseData(live === false, query);
  const histories = useQueueHistoryStore();
  // Typing stays responsive with 1,000 nodes: the grid catches up with the search afterwards.
  const deferredSearch = useDeferredValue(search);

  // The panel's options win when they change; the toolbar still adjusts them in between. The
  // status is reset while rendering (React's pattern for state following a prop), the pause in an
  // effect because it also reaches the stream's callbacks.
  const [appliedStatus, setAppliedStatus] = useState<StatusFilter>(initialStatus);
  if (appliedStatus !== initialStatus) {
    setAppliedStatus(initialStatus);
    setStatusFilter(initialStatus);
  }
  const [appliedLayout, setAppliedLayout] = useState<LayoutChoice>(initialLayout);
  if (appliedLayout !== initialLayout) {
    setAppliedLayout(initialLayout);
    setLayoutChoice(initialLayout);
  }
  const [metric, setMetric] = useState<OverviewMetric>(initialMetric);
  const [appliedMetric, setAppliedMetric] = useState<OverviewMetric>(initialMetric);
  if (appliedMetric !== initialMetric) {
    setAppliedMetric(initialMetric);
    setMetric(initialMetric);
  }
  useEffect(() => {
    if (live !== undefined) {
      setPaused(!live);
    }
  }, [live, setPaused]);

  const nodes = data.state === 'ready' ? data.nodes : undefined;
  const fleetTotal = data.state === 'ready' ? data.total : null;
  // A full update brings every node again, in the same order: the last sort applies again.
  const [sort] = useState(rememberedSort);
  const groups = useMemo(
    () => groupByService(filterNodes(nodes ?? [], { search: deferredSearch, status: statusFilter, service }, sort)),
    [nodes, deferredSearch, statusFilter, service, sort]
  );
  const total = useMemo(
    () =>
      service.trim()
        ? filterNodes(nodes ?? [], { search: '', status: 'all', service }, unsorted).length
        : Math.max(fleetTotal ?? 0, nodes?.length ?? 0),
    [nodes, service, fleetTotal]
  );
  // Each node's queues element is kept while the node object is (an unchanged beat keeps it), so
  // the card's memo sees the same slot and skips rendering.
  const slots = useRef(new Map<string, { node: PulseNode; service?: readonly unknown[]; element: ReactNode }>());
  const queues = data.state === 'ready' ? data.queues : undefined;
  const serviceQueues = data.state === 'ready' ? data.serviceQueues : undefined;
  const renderSlot = useCallback(
    (node: PulseNode) => {
      const key = nodeKey(node.service, node.id);
      const cached = slots.current.get(key);
      // Who paused a queue comes with the service's queues: a change there renders the card too.
      const service = serviceQueues?.get(node.service);
      if (cached?.node === node && cached.service === service) {
        return cached.element;
      }
      const own = withServicePauses(queues?.get(key) ?? NO_QUEUES, service);
      const element = <QueueSection service={node.service} nodeId={node.id} queues={own} />;
      slots.current.set(key, { node, service, element });
      return element;
    },
    [queues, serviceQueues]
  );
  if (nodes !== undefined && knownTotal !== total) {
    setKnownTotal(total);
  }
  const renderCard = useCallback(
    (node: PulseNode) => (
      <NodeDetailCard
        node={node}
        cpuThresholds={cpuThresholds}
        memoryThresholds={memoryThresholds}
        serviceQueues={serviceQueues?.get(node.service)}
      />
    ),
    [cpuThresholds, memoryThresholds, serviceQueues]
  );
  const shown = useMemo(() => groups.reduce((sum, group) => sum + group.nodes.length, 0), [groups]);
  // Decided on the fleet in scope, not on what the search leaves, so typing never flips it.
  const layout = resolveLayout(layoutChoice, total);
  // Cards need whole nodes: until they arrive (after the first read of an `auto` view, or a
  // switch to cards) the summaries are not shown as cards.
  const waiting = data.state === 'ready' && layout === 'cards' && data.fields === 'summary';

  return (
    <QueueHistoryContext.Provider value={histories}>
      <div data-testid={testIds.pulse.page}>
        {status}
        {data.state === 'loading' ? (
          <div data-testid={testIds.pulse.loading}>
            <LoadingPlaceholder text="Reading the nodes…" />
          </div>
        ) : data.state === 'error' ? (
          <div data-testid={testIds.pulse.error}>
            <Alert severity="error" title="Collector unreachable">
              Tried {collectorUrl ?? 'the configured collector'} through Grafana&apos;s proxy: {data.message}
            </Alert>
          </div>
        ) : data.nodes.length === 0 && !data.total ? (
          <div data-testid={testIds.pulse.empty}>
            <EmptyState hideImage variant="call-to-action" message="No nodes reporting">
              Start an agent in each service, pointed at the collector&apos;s Redis:
              <pre className={s.snippet}>{AGENT_SNIPPET}</pre>
            </EmptyState>
          </div>
        ) : (
          <>
            <PulseToolbar
              search={search}
              onSearchChange={setSearch}
              status={statusFilter}
              onStatusChange={setStatusFilter}
              paused={paused}
              onPausedChange={setPaused}
              transport={transport}
              shown={shown}
              total={total}
              layout={layout}
              onLayoutChange={setLayoutChoice}
              metric={metric}
              onMetricChange={setMetric}
            />
            {groups.length === 0 ? (
              <div className={s.noMatch} data-testid={testIds.pulse.noMatch}>
                No node matches the search and status filter.
              </div>
            ) : waiting ? (
              <div data-testid={testIds.pulse.loading}>
                <LoadingPlaceholder text="Reading the nodes…" />
              </div>
            ) : layout === 'overview' ? (
              <FleetOverview
                groups={groups}
                queues={queues}
                serviceQueues={data.serviceQueues}
                metric={metric}
                renderSlot={renderSlot}
                renderCard={data.fields === 'summary' ? renderCard : undefined}
                cpuThresholds={cpuThresholds}
                memoryThresholds={memoryThresholds}
              />
            ) : (
              groups.map((group) => (
                <ServiceGroup
                  key={group.service}
                  service={group.service}
                  nodes={group.nodes}
                  checkDown={group.checkDown}
                  renderSlot={renderSlot}
                  cpuThresholds={cpuThresholds}
                  memoryThresholds={memoryThresholds}
                />
              ))
            )}
          </>
        )}
      </div>
    </QueueHistoryContext.Provider>
  );
}

/**
 * What the view asks the collector for: summaries for the overview, whole nodes for cards; `auto`
 * starts with summaries (cheap however large the fleet) and asks for whole nodes once the fleet
 * turns out small enough for cards.
 */
export function fieldsFor(choice: LayoutChoice, knownTotal: number | null): 'full' | 'summary' {
  if (choice === 'auto' && knownTotal === null) {
    return 'summary';
  }
  return resolveLayout(choice, knownTotal ?? 0) === 'overview' ? 'summary' : 'full';
}

const getStyles = (theme: GrafanaTheme2) => ({
  snippet: css({ marginTop: theme.spacing(1), textAlign: 'left' }),
  noMatch: css({ color: theme.colors.text.secondary, padding: theme.spacing(2, 0) }),
});
