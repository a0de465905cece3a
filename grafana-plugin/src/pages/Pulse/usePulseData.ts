/**
 * The nodes the Pulse page shows: one read of `GET /api/pulse/nodes`, then the collector's
 * snapshots from its SSE stream, or a poll every few seconds where the stream fails.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { collectorGet } from '../../api/collector';
import { epochMs, field, isRecord } from '../../api/read';
import { PROXY_BASE_URL } from '../../constants';
import { readNodes, type PulseNode } from '../../pulse/node';

/** How often the page polls when the event stream is unavailable. */
export const POLL_INTERVAL_MS = 5000;

/** The event the collector's stream sends each refresh, carrying a whole nodes reply. */
export const PULSE_EVENT = 'pulse';

/** The stream through the app's proxy, which adds the API token server-side. */
export const STREAM_URL = `/${PROXY_BASE_URL}/api/pulse/stream`;

/** How updates arrive: the event stream, or polling after the stream failed. */
export type Transport = 'stream' | 'polling';

/** A node's raw heartbeat queues, keyed like {@link nodeKey}. */
export type QueuesByNode = ReadonlyMap<string, unknown[]>;

/** The page's data. */
export type PulseData =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; nodes: PulseNode[]; queues: QueuesByNode; serverTime: number | null };

/** What {@link usePulseData} returns. */
export interface PulseDataResult {
  data: PulseData;
  transport: Transport;
  paused: boolean;
  setPaused: (paused: boolean) => void;
}

/** Node ids are unique per service, not across services. */
export function nodeKey(service: string, id: string): string {
  return `${service}\u0000${id}`;
}

/**
 * Reads a nodes reply, reusing the previous object of every node whose last beat and verdict
 * did not change: the cards compare nodes by identity first, so unchanged cards skip rendering.
 */
export function reconcile(previous: readonly PulseNode[], reply: unknown): PulseNode[] {
  const known = new Map(previous.map((node) => [nodeKey(node.service, node.id), node]));
  return readNodes(reply).map((node) => {
    const old = known.get(nodeKey(node.service, node.id));
    return old && old.lastSeenAt === node.lastSeenAt && old.status === node.status ? old : node;
  });
}

/** The heartbeat's own `queues` list of every node in a nodes reply, as the agent sent it. */
export function readQueuesByNode(reply: unknown): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const nodes = field(reply, 'nodes');
  if (!isRecord(nodes)) {
    return out;
  }
  for (const [service, list] of Object.entries(nodes)) {
    for (const node of Array.isArray(list) ? list : []) {
      const id = field(node, 'id');
      if (typeof id === 'string') {
        const own = field(node, 'service');
        const queues = field(node, 'queues');
        out.set(nodeKey(typeof own === 'string' ? own : service, id), Array.isArray(queues) ? queues : []);
      }
    }
  }
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Loads the nodes and keeps them current until unmounted; `paused` stops applying updates. The
 * first read is applied even when starting paused, so a paused panel still shows its nodes.
 */
export function usePulseData(initialPaused = false): PulseDataResult {
  const [data, setData] = useState<PulseData>({ state: 'loading' });
  const [transport, setTransport] = useState<Transport>('stream');
  const [paused, setPausedState] = useState(initialPaused);
  const pausedRef = useRef(initialPaused);

  const setPaused = useCallback((next: boolean) => {
    pausedRef.current = next;
    setPausedState(next);
  }, []);

  useEffect(() => {
    let current = true;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;

    const apply = (reply: unknown) => {
      if (!current) {
        return;
      }
      setData((previous) => ({
        state: 'ready',
        nodes: reconcile(previous.state === 'ready' ? previous.nodes : [], reply),
        queues: readQueuesByNode(reply),
        serverTime: epochMs(field(reply, 'serverTime')),
      }));
    };

    const poll = () => {
      if (pausedRef.current) {
        return;
      }
      collectorGet('api/pulse/nodes').then(apply, (error: unknown) => {
        // A failed poll keeps the last nodes on screen; only a page with nothing yet shows it.
        if (current) {
          setData((previous) =>
            previous.state === 'ready' ? previous : { state: 'error', message: messageOf(error) }
          );
        }
      });
    };

    const startPolling = () => {
      source?.close();
      source = undefined;
      if (current && timer === undefined) {
        setTransport('polling');
        timer = setInterval(poll, POLL_INTERVAL_MS);
      }
    };

    collectorGet('api/pulse/nodes').then(
      (reply) => {
        if (!current) {
          return;
        }
        apply(reply);
        if (typeof window.EventSource !== 'function') {
          startPolling();
          return;
        }
        source = new window.EventSource(STREAM_URL);
        source.addEventListener(PULSE_EVENT, (event) => {
          if (pausedRef.current) {
            return;
          }
          try {
            apply(JSON.parse((event as MessageEvent<string>).data));
          } catch {
            // A malformed event is skipped; the next refresh brings a whole snapshot again.
          }
        });
        // EventSource retries on its own, but through Grafana's proxy an error usually means the
        // stream is refused or cut on every retry; polling keeps the page current regardless.
        source.onerror = startPolling;
      },
      (error: unknown) => current && setData({ state: 'error', message: messageOf(error) })
    );

    return () => {
      current = false;
      source?.close();
      if (timer !== undefined) {
        clearInterval(timer);
      }
    };
  }, []);

  return { data, transport, paused, setPaused };
}
