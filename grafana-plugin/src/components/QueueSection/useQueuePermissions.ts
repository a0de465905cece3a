/** The signed-in user's queue verbs, with the app's read-only switch read from its settings. */
import { useMemo } from 'react';
import { usePluginContext } from '@grafana/data';
import { PLUGIN_ID } from '../../constants';
import type { AppSettings } from '../../types';
import { userQueuePermissions, type QueuePermissions } from './permissions';

/**
 * The user's verbs, none while the app's `jsonData.readOnly` is on. Only the app's own pages see
 * the app's settings (Grafana gives a panel its own plugin's context); elsewhere the collector
 * still refuses commands in read-only mode, as the command routes send `X-Quasar-Read-Only`.
 */
export function useQueuePermissions(): QueuePermissions {
  const context = usePluginContext<AppSettings>();
  const readOnly = context?.meta.id === PLUGIN_ID && context.meta.jsonData?.readOnly === true;
  return useMemo(() => userQueuePermissions(readOnly), [readOnly]);
}
