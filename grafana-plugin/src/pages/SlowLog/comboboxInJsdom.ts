/**
 * Test support: jsdom has no canvas, no layout and no IntersectionObserver, and Grafana's
 * Combobox (the slow log's service picker) measures option text on a canvas, sizes its
 * virtualised menu from element boxes and watches its input's visibility. Call in `beforeAll`.
 */
export function supportComboboxInJsdom(): void {
  window.IntersectionObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  } as unknown as typeof IntersectionObserver;
  jest
    .spyOn(HTMLCanvasElement.prototype, 'getContext')
    .mockImplementation(() => ({ measureText: (text: string) => ({ width: text.length * 8 }) }) as never);
  jest
    .spyOn(Element.prototype, 'getBoundingClientRect')
    .mockImplementation(() => ({ width: 240, height: 240, top: 0, left: 0, bottom: 0, right: 0 }) as DOMRect);
}
