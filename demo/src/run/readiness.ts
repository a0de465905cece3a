/** Waits until the collector reports every demo service with its queues. */

const SERVICES = ['demo-api', 'demo-worker', 'demo-laravel'] as const;
const QUEUES = ['emails', 'default', 'mail'] as const;

interface NodesReply {
  nodes?: Record<string, Array<{ queues?: Array<{ name?: string }> }>>;
}

/** What is still missing from a nodes reply, or an empty list when the fleet is complete. */
export function missingFrom(reply: NodesReply): string[] {
  const nodes = reply.nodes ?? {};
  const queues = new Set(
    Object.values(nodes).flatMap((list) =>
      list.flatMap((n) => (n.queues ?? []).map((q) => q.name)),
    ),
  );
  return [
    ...SERVICES.filter((s) => !nodes[s]?.length),
    ...QUEUES.filter((q) => !queues.has(q)).map((q) => `queue ${q}`),
  ];
}

export async function waitForFleet(
  collectorUrl: string,
  apiToken: string,
  timeoutMs: number,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  let missing: string[] = [...SERVICES];
  while (Date.now() < until) {
    try {
      const response = await fetch(`${collectorUrl}/api/pulse/nodes`, {
        headers: { authorization: `Bearer ${apiToken}` },
      });
      if (response.ok) {
        missing = missingFrom((await response.json()) as NodesReply);
        if (missing.length === 0) return;
      }
    } catch {
      // the collector is still starting
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`not ready after ${timeoutMs / 1000} s; still missing: ${missing.join(', ')}`);
}

/**
 * Waits until `url` answers 2xx: the sidecar starts once the API it checks listens, as Compose's
 * `depends_on: service_healthy` has it, so its first check does not fail on a port not yet open
 * and the check fails only in the API's outages.
 */
export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
