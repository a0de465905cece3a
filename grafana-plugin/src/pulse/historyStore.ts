/**
 * The queue histories the page holds, per service, for the sparklines. The first view of a
 * service reads its whole history once; from then on, while any view shows the service, only the
 * points after the newest one held are asked for, once per resolution step. The collector's live
 * stream never carries history, so a page that draws no sparkline costs nothing more.
 */
import { mergeHistory, newestTime, readServiceHistory, type ServiceHistory } from './queueHistory';

/** Reads one service's history reply, with only the points after `sinceMs` when set. */
export type HistoryFetch = (service: string, sinceMs: number | undefined) => Promise<unknown>;

/** How the store reads. */
export interface HistoryStoreOptions {
  fetch: HistoryFetch;
  /** After a failed read, the next one waits this long, ms. @default 30000 */
  retryMs?: number;
  /** Services held at once; a view of another one gets no history. @default 50 */
  maxServices?: number;
}

/** The fastest and slowest the store follows the collector's resolution, ms. */
const POLL_RANGE_MS = { min: 1000, max: 60_000 } as const;

interface Entry {
  listeners: Set<() => void>;
  history: ServiceHistory | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  reading: boolean;
}

export class QueueHistoryStore {
  private readonly entries = new Map<string, Entry>();
  private readonly retryMs: number;
  private readonly maxServices: number;
  private closed = false;

  constructor(private readonly options: HistoryStoreOptions) {
    this.retryMs = options.retryMs ?? 30_000;
    this.maxServices = options.maxServices ?? 50;
  }

  /** The service's history as last read, or `undefined` before the first reply. */
  get(service: string): ServiceHistory | undefined {
    return this.entries.get(service)?.history;
  }

  /**
   * Calls `listener` whenever the service's history changes, reading it while anyone listens.
   * Returns the unsubscribe function.
   */
  subscribe(service: string, listener: () => void): () => void {
    const entry = this.entryFor(service);
    if (entry === undefined || this.closed) {
      return () => undefined;
    }
    entry.listeners.add(listener);
    if (entry.listeners.size === 1 && entry.timer === undefined && !entry.reading) {
      void this.read(service, entry);
    }
    return () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size === 0) {
        clearTimeout(entry.timer);
        entry.timer = undefined;
      }
    };
  }

  /** Stops every read (the page is gone). */
  close(): void {
    this.closed = true;
    for (const entry of this.entries.values()) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
      entry.listeners.clear();
    }
  }

  private entryFor(service: string): Entry | undefined {
    const known = this.entries.get(service);
    if (known !== undefined) {
      return known;
    }
    if (this.entries.size >= this.maxServices) {
      // Room from a service nobody shows any more; its points are read again if it comes back.
      const idle = [...this.entries].find(([, e]) => e.listeners.size === 0 && !e.reading);
      if (idle === undefined) {
        return undefined;
      }
      this.entries.delete(idle[0]);
    }
    const entry: Entry = { listeners: new Set(), history: undefined, timer: undefined, reading: false };
    this.entries.set(service, entry);
    return entry;
  }

  private async read(service: string, entry: Entry): Promise<void> {
    entry.reading = true;
    let nextMs = this.retryMs;
    try {
      const held = entry.history;
      const since = held === undefined ? undefined : newestTime(held);
      const update = readServiceHistory(await this.options.fetch(service, since));
      if (update !== null) {
        entry.history = held === undefined ? update : mergeHistory(held, update);
        nextMs = Math.min(Math.max(update.resolutionMs, POLL_RANGE_MS.min), POLL_RANGE_MS.max);
        if (entry.history !== held) {
          for (const listener of [...entry.listeners]) {
            listener();
          }
        }
      }
    } catch {
      // A failed read leaves the sparklines as they were; the next one tries again.
    } finally {
      entry.reading = false;
    }
    if (!this.closed && entry.listeners.size > 0 && this.entries.get(service) === entry) {
      entry.timer = setTimeout(() => {
        entry.timer = undefined;
        void this.read(service, entry);
      }, nextMs);
    }
  }
}
