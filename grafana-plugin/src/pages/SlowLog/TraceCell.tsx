import React from 'react';
import { css } from '@emotion/css';
import { urlUtil, type GrafanaTheme2 } from '@grafana/data';
import { config } from '@grafana/runtime';
import { ClipboardButton, TextLink, useStyles2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';

/**
 * Explore opened on one trace. Tempo, Jaeger and Zipkin all read a bare trace id as the query
 * and look that trace up; Tempo needs its TraceQL editor for that, the others ignore the type.
 */
export function exploreTraceUrl(datasourceUid: string, traceId: string): string {
  const panes = {
    trace: {
      datasource: datasourceUid,
      queries: [{ refId: 'A', datasource: { uid: datasourceUid }, queryType: 'traceql', query: traceId }],
      range: { from: 'now-1h', to: 'now' },
    },
  };
  return urlUtil.renderUrl(`${config.appSubUrl ?? ''}/explore`, { schemaVersion: 1, panes: JSON.stringify(panes) });
}

interface Props {
  traceId: string | null;
  /** The configured tracing data source; without one the id is only offered for copying. */
  datasourceUid?: string;
}

/** A slow entry's trace: a link into Explore, or the id to copy when no tracing source is set. */
export function TraceCell({ traceId, datasourceUid }: Props) {
  const s = useStyles2(getStyles);
  if (!traceId) {
    return null;
  }
  if (datasourceUid) {
    return (
      <TextLink href={exploreTraceUrl(datasourceUid, traceId)} icon="compass" data-testid={testIds.slowLog.traceLink}>
        {short(traceId)}
      </TextLink>
    );
  }
  return (
    <span className={s.copyable} data-testid={testIds.slowLog.traceId}>
      <code title={traceId}>{short(traceId)}</code>
      <ClipboardButton
        size="sm"
        variant="secondary"
        fill="text"
        icon="copy"
        getText={() => traceId}
        aria-label={`Copy trace id ${traceId}`}
        tooltip="Copy trace id. Set a tracing data source in the app configuration to link it."
      />
    </span>
  );
}

/** Trace ids are 32 hex digits; the first 12 tell them apart in a table. */
function short(traceId: string): string {
  return traceId.length > 16 ? `${traceId.slice(0, 12)}…` : traceId;
}

const getStyles = (theme: GrafanaTheme2) => ({
  copyable: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  }),
});
