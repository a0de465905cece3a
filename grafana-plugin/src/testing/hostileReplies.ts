/**
 * Collector replies a reader must survive, as a collector that passes hostile values through
 * would send them (an older collector, or another system answering on its URL).
 */
import { bunNode, goNode, sdkNode } from './collectorReplies';
/** A `failedAt` no `Date` can hold: `new Date(1e16).toISOString()` throws a `RangeError`. */
export const OUT_OF_RANGE_TIME = 1e16;

/** Services named like members of `Object.prototype`, each of which must group as itself. */
export const PROTOTYPE_SERVICES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'] as const;

/** The Bun node whose `emails` queue's failed job says it failed at {@link OUT_OF_RANGE_TIME}. */
export const nodeWithFailedAtOutOfRange = {
  ...bunNode,
  id: 'worker-02-51007',
  queues: [
    {
      name: 'emails',
      driver: 'bullmq',
      size: { waiting: 0, active: 0, delayed: 0, failed: 1 },
      failedSample: [{ id: '982', name: 'send-receipt', failedAt: OUT_OF_RANGE_TIME, reason: 'SMTP 421' }],
    },
  ],
};

/**
 * `GET /api/pulse/nodes` with hostile values: the fixture's nodes, a node with a failed job at
 * {@link OUT_OF_RANGE_TIME}, and one node in each of {@link PROTOTYPE_SERVICES}. Parsed
 * from JSON text as the browser reads a reply, so `__proto__` is an own key, not a prototype.
 */
export function hostileNodesReply(): unknown {
  const groups: Array<[string, unknown[]]> = [
    ['checkout', [sdkNode]],
    ['my-laravel-app', [goNode]],
    ['worker-orders', [bunNode, nodeWithFailedAtOutOfRange]],
    ...PROTOTYPE_SERVICES.map((service): [string, unknown[]] => [
      service,
      [{ ...sdkNode, id: `${service}-node-1`, service, language: service }],
    ]),
  ];
  const nodes = groups.map(([service, list]) => `${JSON.stringify(service)}:${JSON.stringify(list)}`).join(',');
  return JSON.parse(`{"nodes":{${nodes}},"serverTime":1767500001420}`);
}
