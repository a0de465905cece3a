/**
 * Where a queue row finds its history: the Pulse view provides one store for all its cards; a
 * queue section outside one (no provider) draws no sparklines.
 */
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { QueueHistoryStore } from '../../pulse/historyStore';
import type { QueueHistory } from '../../pulse/queueHistory';

/** The page's history store, or `null` where there is none. */
export const QueueHistoryContext = createContext<QueueHistoryStore | null>(null);

/** The queue's history while the row is shown, `undefined` until there is one. */
export function useQueueHistory(service: string, queue: string): QueueHistory | undefined {
  const store = useContext(QueueHistoryContext);
  const subscribe = useCallback(
    (listener: () => void) => store?.subscribe(service, listener) ?? (() => undefined),
    [store, service]
  );
  return useSyncExternalStore(subscribe, () => store?.get(service)?.queues.get(queue));
}

/** The resolution of the service's history, ms, or `undefined` before the first reply. */
export function useHistoryResolution(service: string): number | undefined {
  const store = useContext(QueueHistoryContext);
  return store?.get(service)?.resolutionMs;
}
