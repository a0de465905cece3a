/**
 * Server-Sent Events for `/api/pulse/stream`. The hub serialises each snapshot once and
 * writes it to every client; a client costs a socket, never a Redis read.
 */
import type { ServerResponse } from 'node:http';
import type { PulseSnapshot, PulseState } from '../cycle/pulse-state';
import type { PulseJson } from './node-json';

/** A comment line keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/** The SSE frame of one snapshot. */
export function pulseEvent(json: PulseJson, snapshot: PulseSnapshot): string {
  return `event: pulse\nid: ${snapshot.cycle}\ndata: ${json.event(snapshot)}\n\n`;
}

export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private keepalive: NodeJS.Timeout | undefined;
  /** Broadcasts that failed; a failure drops that update for the clients, nothing more. */
  failures = 0;
  private readonly onUpdate = (snapshot: PulseSnapshot) => {
    // Serialising 10,000 nodes every refresh is only worth it with someone listening.
    if (this.clients.size === 0) return;
    try {
      this.broadcast(pulseEvent(this.json, snapshot));
    } catch {
      // The cycle that published this snapshot must never fail for its listeners.
      this.failures++;
    }
  };

  constructor(
    private readonly state: PulseState,
    private readonly json: PulseJson,
  ) {
    state.on('update', this.onUpdate);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Adopts a response as an event stream and sends the current snapshot at once. */
  add(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const snapshot = this.state.snapshot;
    if (snapshot) res.write(pulseEvent(this.json, snapshot));
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopKeepalive();
    });
    if (!this.keepalive) {
      this.keepalive = setInterval(() => this.broadcast(': keepalive\n\n'), KEEPALIVE_MS);
      this.keepalive.unref();
    }
  }

  private broadcast(chunk: string): void {
    for (const res of this.clients) {
      try {
        // A client that cannot keep up is dropped rather than buffered without bound.
        if (res.writableLength > 1 << 20) res.destroy();
        else res.write(chunk);
      } catch {
        res.destroy();
      }
    }
  }

  private stopKeepalive(): void {
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = undefined;
  }

  /** Ends every stream (server shutdown). */
  close(): void {
    this.state.off('update', this.onUpdate);
    this.stopKeepalive();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
