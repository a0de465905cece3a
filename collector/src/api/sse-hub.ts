/**
 * Server-Sent Events for `/api/pulse/stream`. The hub serialises each snapshot once and
 * writes it to every client; a client costs a socket, never a Redis read.
 */
import type { ServerResponse } from 'node:http';
import type { PulseSnapshot, PulseState } from '../cycle/pulse-state';
import { nodesResponse, queuesResponse } from './node-json';

/** A comment line keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

export function pulseEvent(snapshot: PulseSnapshot): string {
  const data = JSON.stringify({
    ...nodesResponse(snapshot),
    queues: queuesResponse(snapshot).queues,
    cycle: snapshot.cycle,
  });
  return `event: pulse\nid: ${snapshot.cycle}\ndata: ${data}\n\n`;
}

export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private keepalive: NodeJS.Timeout | undefined;
  private readonly onUpdate = (snapshot: PulseSnapshot) => {
    // Serialising 10,000 nodes every refresh is only worth it with someone listening.
    if (this.clients.size > 0) this.broadcast(pulseEvent(snapshot));
  };

  constructor(private readonly state: PulseState) {
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
    if (snapshot) res.write(pulseEvent(snapshot));
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
      // A client that cannot keep up is dropped rather than buffered without bound.
      if (res.writableLength > 1 << 20) res.destroy();
      else res.write(chunk);
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
