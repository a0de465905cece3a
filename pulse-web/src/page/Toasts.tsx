/**
 * Grafana shows `alert-success` / `alert-error` app events as toasts in its own frontend; this is
 * the standalone page's equivalent, with the same `Alert` component from `@grafana/ui`.
 */
import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import {
  AppEvents,
  type BusEvent,
  type BusEventType,
  type EventBus,
  type GrafanaTheme2,
} from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';

interface Toast {
  id: number;
  severity: 'success' | 'error';
  title: string;
}

/** How long a toast stays, as in Grafana: errors longer than successes. */
const TIMEOUT_MS = { success: 5000, error: 10000 } as const;

let nextId = 0;

/** The bus matches events on `type` alone, which is all a legacy app event has. */
function eventType(name: string): BusEventType<BusEvent> {
  return { type: name } as unknown as BusEventType<BusEvent>;
}

/** Renders the toasts published on `events`, newest last, each closable. */
export function Toasts({ events }: { events: EventBus }) {
  const s = useStyles2(getStyles);
  const [toasts, setToasts] = useState<Toast[]>([]);

  useEffect(() => {
    const add = (severity: Toast['severity']) => (event: { payload?: unknown }) => {
      const payload = Array.isArray(event.payload) ? event.payload : [event.payload];
      const toast = { id: nextId++, severity, title: String(payload[0] ?? '') };
      setToasts((list) => [...list, toast]);
      setTimeout(
        () => setToasts((list) => list.filter((t) => t.id !== toast.id)),
        TIMEOUT_MS[severity],
      );
    };
    const subscriptions = [
      events.subscribe(eventType(AppEvents.alertSuccess.name), add('success')),
      events.subscribe(eventType(AppEvents.alertError.name), add('error')),
    ];
    return () => subscriptions.forEach((subscription) => subscription.unsubscribe());
  }, [events]);

  return (
    <div className={s.list} role="status" aria-live="polite">
      {toasts.map((toast) => (
        <Alert
          key={toast.id}
          severity={toast.severity}
          title={toast.title}
          onRemove={() => setToasts((list) => list.filter((t) => t.id !== toast.id))}
        />
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({
    position: 'fixed',
    top: theme.spacing(2),
    right: theme.spacing(2),
    zIndex: theme.zIndex.portal,
    width: 400,
    maxWidth: '90vw',
  }),
});
