/**
 * The servers an agent times: each server once, each with its detacher, all detached by
 * `stop()`.
 */
import type { HttpTimingHooks, TimedServer } from './http-timing';
import { timeHttpServer } from './http-timing';
import type { HttpTimingOptions } from './types';

export class TimedServers {
  private readonly detachers = new Map<TimedServer, () => void>();

  /** Times `server`; a server already timed keeps its first instrumentation and detacher. */
  add(server: TimedServer, options: HttpTimingOptions, hooks: HttpTimingHooks): () => void {
    const existing = this.detachers.get(server);
    if (existing) return existing;
    const stopTiming = timeHttpServer(server, options, hooks);
    const detach = () => {
      // A stale detacher must not unregister a later instrumentation of the same server.
      if (this.detachers.get(server) === detach) this.detachers.delete(server);
      stopTiming();
    };
    this.detachers.set(server, detach);
    return detach;
  }

  /** The detacher of a server already timed. */
  get(server: TimedServer): (() => void) | undefined {
    return this.detachers.get(server);
  }

  /** Detaches every server. */
  detachAll(): void {
    for (const detach of [...this.detachers.values()]) detach();
  }
}
