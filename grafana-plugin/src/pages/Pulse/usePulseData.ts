/**
 * The nodes the Pulse page shows: one read of `GET /api/pulse/nodes`, then the collector's delta
 * stream (a whole snapshot, then only what changed), or a poll every few seconds where the stream
 * fails. The view's filters go to the collector, so only the nodes it can show cross the wire.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { collectorGet, type QueryParams } from '../../api/collector';
import { PROXY_BASE_URL } from '../../constants';
import type { NodeStatus, PulseNode } from '../../pulse/node';
import {
  EMPTY_FLEET,
  applyDelta,
  fromSnapshot,
  nodeKey,
  readQueuesByNode,
  reconcile,
  type FleetState,
  type QueuesByNode,
  type QueuesByService,
} from './fleetState';

export { nodeKey, readQueuesByNode, reconcile };
export type { QueuesByNode, QueuesByService };

/** How often the page polls when the event stream is unavailable. */
export const POLL_INTERVAL_MS = 5000;

/** The event the collector's stream sends first (and without deltas, each refresh): a whole snapshot. */
export const PULSE_EVENT = 'pulse';

/** The event a delta stream sends after its first snapshot: what changed since the last one. */
export const DELTA_EVENT = 'delta';

/** The stream through the app's proxy, which adds the API token server-side. */
export const STREAM_URL = `/${PROXY_BASE_URL}/api/pulse/stream`;

/** A malformed delta reopens the stream for a fresh snapshot, at most this often. */
export const RESYNC_MIN_MS = 30_000;

/** How updates arrive: the event stream, or polling after the stream failed. */
export type Transport = 'stream' | 'polling';

/** What the view asks the collector for; every field narrows what is sent. */
export interface PulseDataQuery {
  /** Only nodes with this verdict. */
  status?: Exclude<NodeStatus, 'unknown'>;
  /** Only this service (exact name). */
  service?: string;
  /** Only nodes whose service, id, hostname or runtime contains this text (case-insensitive). */
  search?: string;
  /** `summary`: each node reduced to what a tile shows (see the collector's API reference). */
  fields?: 'full' | 'summary';
}

/** The page's data. */
export type PulseData =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | {
      state: 'ready';
      /** What the nodes hold: `summary` nodes carry no checks, runtime details or queues of their own. */
      fields: 'full' | 'summary';
      nodes: PulseNode[];
      queues: QueuesByNode;
      /** Each service's queues, from the stream (and from polls in summary mode). */
      serviceQueues: QueuesByService;
      serverTime: number | null;
      /** Nodes in the fleet before the collector's filters, when it says. */
      total: number | null;
    };

/** What {@link usePulseData} returns. */
export interface PulseDataResult {
  data: PulseData;
  transport: Transport;
  paused: boolean;
  setPaused: (paused: boolean) => void;
  /** Stream events that could not be read and were skipped. */
  malformed: number;
}

/** The query string of a query; an empty text is no filter. */
export function queryParams(query: PulseDataQuery): QueryParams {
  return {
    status: query.status,
    service: query.service || undefined,
    q: query.search?.trim().slice(0, 100) || undefined,
    fields: query.fields === 'summary' ? 'summary' : undefined,
  };
}

/** The delta stream's URL for a query. */
export function streamUrl(query: PulseDataQuery): string {
  const search = new URLSearchParams({ delta: '1' });
  for (const [name, value] of Object.entries(queryParams(query))) {
    if (value !== undefined) {
      search.append(name, String(value));
    }
  }
  return `${STREAM_URL}?${search.toString()}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function ready(fleet: FleetState, fields: 'full' | 'summary'): PulseData {
  return {
    state: 'ready',
    fields,
    nodes: [...fleet.nodes.values()],
    queues: fleet.nodeQueues,
    serviceQueues: fleet.serviceQueues,
    serverTime: fleet.serverTime,
    total: fleet.total,
  };
}

function parse(event: Event): unknown {
  return JSON.parse((event as MessageEvent<string>).data);
}

/**
 * Loads the nodes the query asks for and keeps them current until unmounted or the query
 * changes; `paused` stops showing updates (they are still applied underneath, so a delta is never
 * lost). The first read is shown even when starting paused, so a paused panel still shows its
 * nodes.
 */
export function usePulseData(initialPaused = false, query: PulseDataQuery = {}): PulseDataResult {
  const [data, setData] = useState<PulseData>({ state: 'loading' });
  const [transport, setTransport] = useState<Transport>('stream');
  const [paused, setPausedState] = useState(initialPaused);
  const [malformed, setMalformed] = useState(0);
  const pausedRef = useRef(initialPaused);
  const fleetRef = useRef<FleetState | null>(null);
  const fieldsRef = useRef<'full' | 'summary'>(query.fields === 'summary' ? 'summary' : 'full');

  const setPaused = useCallback((next: boolean) => {
    pausedRef.current = next;
    setPausedState(next);
    if (!next && fleetRef.current) {
      setData(ready(fleetRef.current, fieldsRef.current));
    }
  }, []);

  const { status, service, search, fields } = query;
  useEffect(() => {
    const current = { live: true };
    const q: PulseDataQuery = { status, service, search, fields };
    const shape = fields === 'summary' ? 'summary' : 'full';
    if (fieldsRef.current !== shape) {
      // A node keeps its object while its beat is unchanged: a summary must not stand in for the
      // whole node (or the reverse) once the other shape is asked for.
      fleetRef.current = null;
      fieldsRef.current = shape;
    }
    const params = queryParams(q);
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    let lastResync = 0;

    const show = (fleet: FleetState, force = false) => {
      fleetRef.current = fleet;
      if (current.live && (force || !pausedRef.current)) {
        setData(ready(fleet, shape));
      }
    };
    const snapshot = (reply: unknown, force = false) =>
      show(fromSnapshot(fleetRef.current ?? EMPTY_FLEET, reply), force);
    // A stream event is rendered in its own task: left to React's scheduler, the render waits for
    // a task of its own, which a busy machine starts tens of milliseconds later, after the event's
    // parse and read have already held the main thread.
    const showNow = (fleet: FleetState) => flushSync(() => show(fleet));

    const poll = () => {
      if (pausedRef.current) {
        return;
      }
      const nodes = collectorGet('api/pulse/nodes', params);
      // Summaries leave the nodes' own queues out: the service totals come from the queues route.
      const queues = fields === 'summary' ? collectorGet('api/pulse/queues') : Promise.resolve(undefined);
      Promise.all([nodes, queues]).then(
        ([reply, queueReply]) =>
          snapshot(
            queueReply === undefined
              ? reply
              : { ...(reply as object), queues: (queueReply as { queues?: unknown })?.queues }
          ),
        (error: unknown) => {
          // A failed poll keeps the last nodes on screen; only a page with nothing yet shows it.
          if (current.live) {
            setData((previous) =>
              previous.state === 'ready' ? previous : { state: 'error', message: messageOf(error) }
            );
          }
        }
      );
    };

    const startPolling = () => {
      source?.close();
      source = undefined;
      if (current.live && timer === undefined) {
        setTransport('polling');
        timer = setInterval(poll, POLL_INTERVAL_MS);
      }
    };

    const openStream = () => {
      source?.close();
      const opened = new window.EventSource(streamUrl(q));
      source = opened;
      let primed = false;
      const skip = () => {
        setMalformed((n) => n + 1);
        // A skipped delta may leave the page wrong: a fresh stream starts with a whole snapshot.
        if (Date.now() - lastResync >= RESYNC_MIN_MS) {
          lastResync = Date.now();
          openStream();
        }
      };
      opened.addEventListener(PULSE_EVENT, (event) => {
        let next: FleetState;
        try {
          next = fromSnapshot(fleetRef.current ?? EMPTY_FLEET, parse(event));
        } catch {
          setMalformed((n) => n + 1);
          return;
        }
        primed = true;
        showNow(next);
      });
      opened.addEventListener(DELTA_EVENT, (event) => {
        let next: FleetState | null = null;
        try {
          next = primed && fleetRef.current ? applyDelta(fleetRef.current, parse(event)) : null;
        } catch {
          next = null;
        }
        if (next === null) {
          skip();
        } else {
          showNow(next);
        }
      });
      // EventSource retries on its own, but through Grafana's proxy an error usually means the
      // stream is refused or cut on every retry; polling keeps the page current regardless.
      opened.onerror = startPolling;
    };

    collectorGet('api/pulse/nodes', params).then(
      (reply) => {
        if (!current.live) {
          return;
        }
        snapshot(reply, true);
        if (typeof window.EventSource !== 'function') {
          startPolling();
          return;
        }
        setTransport('stream');
        openStream();
      },
      (error: unknown) => current.live && setData({ state: 'error', message: messageOf(error) })
    );

    return () => {
      current.live = false;
      source?.close();
      if (timer !== undefined) {
        clearInterval(timer);
      }
    };
  }, [status, service, search, fields]);

  return { data, transport, paused, setPaused, malformed };
}
