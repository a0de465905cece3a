/**
 * The three lease commands, queued on a pipeline: acquire (`SET NX PX`), renew (compare the
 * holder, then `PEXPIRE`) and release (compare the holder, then `DEL`). The comparisons run
 * as Lua so a replica can never extend or delete a lease another replica took in between.
 */
import type { RedisClient } from '@gravito/quasar';
import type { ChainableCommander } from 'ioredis';

/** KEYS[1] lease; ARGV token, ttl ms. 1 when renewed, 0 when the lease is not the token's. */
const RENEW_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** KEYS[1] lease; ARGV token. 1 when released, 0 when the lease is not the token's. */
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

type LeaseScripts = {
  quasarRenewLease(key: string, token: string, ttlMs: number): ChainableCommander;
  quasarReleaseLease(key: string, token: string): ChainableCommander;
};

/** A pipeline able to queue the lease commands. */
export type LeasePipeline = ChainableCommander & LeaseScripts;

/** A pipeline on `client` with the lease scripts defined (once per client). */
export function leasePipeline(client: RedisClient): LeasePipeline {
  const c = client as RedisClient & Partial<Record<keyof LeaseScripts, unknown>>;
  if (typeof c.quasarRenewLease !== 'function') {
    client.defineCommand('quasarRenewLease', { numberOfKeys: 1, lua: RENEW_LUA });
    client.defineCommand('quasarReleaseLease', { numberOfKeys: 1, lua: RELEASE_LUA });
  }
  return client.pipeline() as LeasePipeline;
}

/** Queues `SET key token NX PX ttl`: `OK` when acquired, null when someone holds it. */
export function queueAcquire(p: LeasePipeline, key: string, token: string, ttlMs: number): void {
  p.set(key, token, 'PX', ttlMs, 'NX');
}

/** Queues the compare-and-pexpire script. */
export function queueRenew(p: LeasePipeline, key: string, token: string, ttlMs: number): void {
  p.quasarRenewLease(key, token, ttlMs);
}

/** Queues the compare-and-delete script. */
export function queueRelease(p: LeasePipeline, key: string, token: string): void {
  p.quasarReleaseLease(key, token);
}
