/**
 * Server-Sent Events for `/api/pulse/stream`. Each tick is serialised once per distinct client
 * filter and written to every client of that filter; a client costs a socket, never a Redis
 * read. Delta clients share one change set per tick (`stream-changes.ts`) and hold no per-node
 * state of their own.
 */
import type { ServerResponse } from 'node:http';
import type { PulseSnapshot, PulseState } from '../cycle/pulse-state';
import type { PulseJson } from './node-json';
import { pulseFilterOf } from './pulse-filter';
import type { PulseFilter } from './pulse-filter';
import { ChangeTracker, deltaEvent } from './stream-changes';
import type { StreamChanges } from './stream-changes';

/** A comment line keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/** Bytes a client may leave unread before it is dropped rather than buffered without bound. */
export const MAX_UNREAD_BYTES = 1 << 20;

/** The SSE frame of one snapshot, as a stream without parameters receives it. */
export function pulseEvent(json: PulseJson, snapshot: PulseSnapshot): string {
  return `event: pulse\nid: ${snapshot.cycle}\ndata: ${json.event(snapshot)}\n\n`;
}

/** How a client asked to be streamed to. */
export interface StreamOptions {
  /** Which nodes and how much of each. @default every node, whole */
  filter?: PulseFilter;
  /** Send `delta` events after the first snapshot. @default false */
  delta?: boolean;
}

interface StreamClient {
  res: ServerResponse;
  filter: PulseFilter;
  delta: boolean;
  /** Whether the client holds a snapshot that deltas can apply to. */
  primed: boolean;
}

const EVERYTHING = pulseFilterOf({});

/**
 * Streams one collector serves at once. Each costs a socket and a share of every broadcast;
 * past this a new one is refused (503) instead of slowing the cycle that shares the event loop.
 */
export const MAX_STREAM_CLIENTS = 1000;

/**
 * Distinct filters among the streams. Each distinct filter is serialised on its own at every
 * read (a whole snapshot at 10,000 nodes is tens of ms), so their number, not only the clients',
 * is what a client can spend of the collector's time.
 */
export const MAX_STREAM_FILTERS = 64;

/** Why a stream was refused. */
export type StreamRefusal = 'clients' | 'filters';

export class SseHub {
  private readonly clients = new Map<ServerResponse, StreamClient>();
  private readonly tracker: ChangeTracker;
  private deltaClients = 0;
  private keepalive: NodeJS.Timeout | undefined;
  /** Broadcasts that failed; a failure drops that update for the clients, nothing more. */
  failures = 0;
  /** Streams refused because the collector already serves as many as it allows. */
  refused = 0;
  private readonly onUpdate = (snapshot: PulseSnapshot) => {
    // Serialising 10,000 nodes every refresh is only worth it with someone listening.
    if (this.clients.size === 0) return;
    try {
      this.broadcastSnapshot(snapshot);
    } catch {
      // The cycle that published this snapshot must never fail for its listeners.
      this.failures++;
    }
  };

  constructor(
    private readonly state: PulseState,
    private readonly json: PulseJson,
  ) {
    this.tracker = new ChangeTracker(json);
    state.on('update', this.onUpdate);
  }

  get size(): number {
    return this.clients.size;
  }

  /**
   * Whether a new stream with `filter` may open: undefined when it may, else why not (counted).
   * A filter that some open stream already uses costs nothing new, so only the client bound
   * applies to it.
   */
  refusal(filter: PulseFilter = EVERYTHING): StreamRefusal | undefined {
    let reason: StreamRefusal | undefined;
    if (this.clients.size >= MAX_STREAM_CLIENTS) reason = 'clients';
    else {
      const open = new Set<string>();
      for (const client of this.clients.values()) open.add(client.filter.key);
      if (!open.has(filter.key) && open.size >= MAX_STREAM_FILTERS) reason = 'filters';
    }
    if (reason) this.refused++;
    return reason;
  }

  /** Adopts a response as an event stream and sends the current snapshot at once. */
  add(res: ServerResponse, options: StreamOptions = {}): void {
    const client: StreamClient = {
      res,
      filter: options.filter ?? EVERYTHING,
      delta: options.delta === true,
      primed: false,
    };
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const snapshot = this.state.snapshot;
    if (client.delta) {
      this.deltaClients++;
      if (snapshot) this.tracker.baseline(snapshot);
    }
    if (snapshot) {
      try {
        res.write(this.snapshotFrame(snapshot, client));
        client.primed = true;
      } catch {
        // Unprimed, the client gets a whole snapshot at the next tick instead.
        this.failures++;
      }
    }
    this.clients.set(res, client);
    res.on('close', () => this.remove(client));
    if (!this.keepalive) {
      this.keepalive = setInterval(() => this.broadcast(': keepalive\n\n'), KEEPALIVE_MS);
      this.keepalive.unref();
    }
  }

  private remove(client: StreamClient): void {
    if (!this.clients.delete(client.res)) return;
    if (client.delta && --this.deltaClients === 0) this.tracker.reset();
    if (this.clients.size === 0) this.stopKeepalive();
  }

  /** One tick: each distinct frame is built once and written to the clients that want it. */
  private broadcastSnapshot(snapshot: PulseSnapshot): void {
    const changes = this.deltaClients > 0 ? this.changesOf(snapshot) : undefined;
    const frames = new Map<string, string | undefined>();
    for (const client of this.clients.values()) {
      const asDelta = client.delta && client.primed && changes !== undefined;
      const key = `${asDelta ? 'delta' : client.delta ? 'base' : 'pulse'}${client.filter.key}`;
      let frame = frames.get(key);
      if (!frames.has(key)) {
        try {
          frame = asDelta
            ? this.deltaFrame(changes, client.filter)
            : this.snapshotFrame(snapshot, client);
        } catch {
          this.failures++;
          frame = undefined;
        }
        frames.set(key, frame);
      }
      if (frame === undefined) {
        // A delta this client missed would leave it wrong: it gets a whole snapshot next tick.
        client.primed = false;
        continue;
      }
      if (this.write(client.res, frame)) client.primed = true;
    }
  }

  /** This tick's change set, or undefined when it failed (delta clients then get snapshots). */
  private changesOf(snapshot: PulseSnapshot): StreamChanges | undefined {
    try {
      return this.tracker.advance(snapshot);
    } catch {
      this.failures++;
      this.tracker.reset();
      return undefined;
    }
  }

  private snapshotFrame(snapshot: PulseSnapshot, client: StreamClient): string {
    if (!client.delta && !client.filter.parameterised) return pulseEvent(this.json, snapshot);
    const data = this.json.filteredEvent(snapshot, client.filter, client.delta);
    return `event: pulse\nid: ${snapshot.cycle}\ndata: ${data}\n\n`;
  }

  private deltaFrame(changes: StreamChanges, filter: PulseFilter): string {
    const data = deltaEvent(this.json, changes, filter);
    return `event: delta\nid: ${changes.snapshot.cycle}\ndata: ${data}\n\n`;
  }

  private broadcast(chunk: string): void {
    for (const res of this.clients.keys()) this.write(res, chunk);
  }

  /** Writes to one client; false when the client was dropped instead. */
  private write(res: ServerResponse, chunk: string): boolean {
    try {
      // A client that cannot keep up is dropped rather than buffered without bound.
      if (res.writableLength > MAX_UNREAD_BYTES) {
        res.destroy();
        return false;
      }
      res.write(chunk);
      return true;
    } catch {
      res.destroy();
      return false;
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
    for (const res of this.clients.keys()) res.end();
    this.clients.clear();
    this.deltaClients = 0;
    this.tracker.reset();
  }
}
