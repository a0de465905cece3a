/**
 * The Pulse view's one store of queue histories, read through the app's proxy. It needs no
 * teardown: it reads only while some queue row shows a service, and rows unsubscribe as they go.
 */
import { useState } from 'react';
import { collectorGet } from '../../api/collector';
import { QueueHistoryStore } from '../../pulse/historyStore';

/** The collector's history route, under the proxy. */
export const HISTORY_PATH = 'api/pulse/queues/history';

export function useQueueHistoryStore(): QueueHistoryStore {
  const [store] = useState(
    () => new QueueHistoryStore({ fetch: (service, since) => collectorGet(HISTORY_PATH, { service, since }) })
  );
  return store;
}
