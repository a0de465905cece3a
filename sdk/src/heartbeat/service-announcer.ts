/**
 * Keeps a v2 service in the fleet-wide service index (`gravito:quasar:services`), where the
 * collector finds the per-service node indexes. One key for the whole fleet must not carry the
 * fleet's beat rate, so an agent announces its service with its first beat and then at most
 * once a minute; the heartbeats themselves stay in the service's own slot.
 */
import type { RedisClient } from '../redis/redis-client';
import { QuasarKeys } from '../schema';

/** Time between two announcements of a service by one agent. */
export const ANNOUNCE_EVERY_MS = 60_000;
/** Time before a failed announcement is tried again. */
export const ANNOUNCE_RETRY_MS = 5_000;

export class ServiceAnnouncer {
  /** Epoch ms from which the next announcement is due; 0 until the first one. */
  private dueAt = 0;
  private inFlight = false;

  constructor(private readonly service: string) {}

  /**
   * Announces the service when due (`ZADD services nowMs service`), else resolves at once
   * without a round trip. Rejects when the announcement failed; it is tried again after
   * `ANNOUNCE_RETRY_MS`.
   */
  async announce(client: RedisClient, nowMs: number): Promise<void> {
    if (this.inFlight || nowMs < this.dueAt) return;
    this.inFlight = true;
    this.dueAt = nowMs + ANNOUNCE_RETRY_MS;
    try {
      await client.zadd(QuasarKeys.services, nowMs, this.service);
      this.dueAt = nowMs + ANNOUNCE_EVERY_MS;
    } finally {
      this.inFlight = false;
    }
  }
}
