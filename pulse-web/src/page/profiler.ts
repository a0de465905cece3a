/**
 * Timing for the render benchmark (`?profile=1`): when each `pulse` or `delta` event reached the page, and
 * when React finished committing the update it caused, both on `performance.now()`'s clock.
 */

/** One commit of the profiled tree. */
export interface CommitTiming {
  /** When the commit finished. */
  at: number;
  /** React's own figure: time spent rendering this commit. */
  actualDuration: number;
  phase: string;
}

/** One `pulse` or `delta` event. */
export interface EventTiming {
  /** When it arrived, before any listener ran. */
  at: number;
  /** Whether its snapshot holds `window.quasarMarker` (the benchmark's round). */
  marked: boolean;
}

export interface RenderTimings {
  events: EventTiming[];
  commits: CommitTiming[];
}

/** How long the page took to show one marked snapshot. */
export interface UpdateTiming {
  /** From the event's arrival to the end of React's commit. */
  commitMs: number;
  /** From the event's arrival to the frame after the commit, which paints it. */
  frameMs: number;
  /** React's own render time for that commit. */
  renderMs: number;
}

declare global {
  interface Window {
    quasarTimings?: RenderTimings;
    /** Resolves once a snapshot holding `marker` has arrived, after event `from`, and been committed. */
    quasarAwaitMarked?: (from: number, timeoutMs: number) => Promise<UpdateTiming>;
    /** Text the benchmark's next snapshot contains, e.g. the timestamp it wrote. */
    quasarMarker?: string;
  }
}

type OnRender = (id: string, phase: string, actualDuration: number) => void;

let onRender: OnRender | undefined;

/** Starts recording (once per page); returns the Profiler's `onRender`. */
export function startProfiling(): OnRender {
  onRender ??= install();
  return onRender;
}

function install(): OnRender {
  const timings: RenderTimings = { events: [], commits: [] };
  window.quasarTimings = timings;
  const Native = window.EventSource;
  // Every listener of a `pulse` event is wrapped, so the arrival time is taken before the page's
  // own handler parses the snapshot.
  class TimedEventSource extends Native {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      const add = EventTarget.prototype.addEventListener.bind(this);
      const timed = (
        type: string,
        listener: EventListenerOrEventListenerObject | null,
        options?: boolean | AddEventListenerOptions,
      ) => {
        if ((type !== 'pulse' && type !== 'delta') || typeof listener !== 'function') {
          add(type, listener, options);
          return;
        }
        add(
          type,
          (event) => {
            const at = performance.now();
            listener.call(this, event);
            // Checked after the page's handler, which only schedules React's render, so the
            // render is still ahead and inside the measured interval.
            const marker = window.quasarMarker;
            const data = (event as MessageEvent<unknown>).data;
            timings.events.push({
              at,
              marked: marker !== undefined && typeof data === 'string' && data.includes(marker),
            });
          },
          options,
        );
      };
      Object.defineProperty(this, 'addEventListener', { value: timed });
    }
  }
  window.EventSource = TimedEventSource;
  window.quasarAwaitMarked = (from, timeoutMs) => awaitMarked(timings, from, timeoutMs);
  return (_id, phase, actualDuration) => {
    timings.commits.push({ at: performance.now(), actualDuration, phase });
  };
}

function awaitMarked(
  timings: RenderTimings,
  from: number,
  timeoutMs: number,
): Promise<UpdateTiming> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      const event = timings.events.slice(from).find((e) => e.marked);
      const commit = event && timings.commits.find((c) => c.at > event.at);
      if (event && commit) {
        requestAnimationFrame(() =>
          setTimeout(() =>
            resolve({
              commitMs: commit.at - event.at,
              frameMs: performance.now() - event.at,
              renderMs: commit.actualDuration,
            }),
          ),
        );
      } else if (performance.now() - started > timeoutMs) {
        reject(new Error('no marked snapshot was rendered in time'));
      } else {
        setTimeout(check, 5);
      }
    };
    check();
  });
}
