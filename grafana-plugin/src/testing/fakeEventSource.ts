/** A stand-in for the browser's EventSource, driven by the test. */
import { act } from '@testing-library/react';

/** Records every stream the page opens; a test emits events into one and reads its URL. */
export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly listeners = new Map<string, Array<(event: MessageEvent) => void>>();
  onerror: ((event: Event) => void) | null = null;
  closed = false;

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close() {
    this.closed = true;
  }

  emit(type: string, data: unknown) {
    this.emitRaw(type, JSON.stringify(data));
  }

  emitRaw(type: string, data: string) {
    act(() => this.listeners.get(type)?.forEach((l) => l(new MessageEvent(type, { data }))));
  }

  fail() {
    act(() => this.onerror?.(new Event('error')));
  }
}

/** Installs {@link FakeEventSource} as `window.EventSource`, with no streams recorded yet. */
export function installFakeEventSource(): void {
  FakeEventSource.instances = [];
  Object.defineProperty(window, 'EventSource', { value: FakeEventSource, configurable: true, writable: true });
}
