/**
 * Whether an element is within a screen or so of the viewport, and its height when last seen,
 * from one IntersectionObserver shared by every card. Without IntersectionObserver (old
 * browsers, jsdom) everything is near.
 */
import { useEffect, useState, type RefObject } from 'react';

/** How far outside the viewport a card still counts as near: scrolling never shows a placeholder. */
export const NEAR_MARGIN = '800px 0px';

type Listener = (entry: IntersectionObserverEntry) => void;

/** Where an element is: near the viewport or not, and its height at that moment. */
export interface Nearness {
  near: boolean;
  height: number | null;
}

let shared: { observer: IntersectionObserver; listeners: Map<Element, Listener> } | undefined;

function observerFor(): typeof shared {
  if (typeof window === 'undefined' || typeof window.IntersectionObserver !== 'function') {
    return undefined;
  }
  if (!shared) {
    const listeners = new Map<Element, Listener>();
    const observer = new window.IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          listeners.get(entry.target)?.(entry);
        }
      },
      { rootMargin: NEAR_MARGIN }
    );
    shared = { observer, listeners };
  }
  return shared;
}

/**
 * Whether `ref`'s element is near the viewport (false until the first observation), and its
 * height when that last changed: leaving the viewport, it is the height of what it showed.
 */
export function useNearViewport(ref: RefObject<Element>): Nearness {
  const [nearness, setNearness] = useState<Nearness>(() => ({ near: observerFor() === undefined, height: null }));
  useEffect(() => {
    const element = ref.current;
    const registry = observerFor();
    if (!element || !registry) {
      return;
    }
    registry.listeners.set(element, (entry) =>
      setNearness({ near: entry.isIntersecting, height: entry.boundingClientRect.height })
    );
    registry.observer.observe(element);
    return () => {
      registry.observer.unobserve(element);
      registry.listeners.delete(element);
    };
  }, [ref]);
  return nearness;
}
