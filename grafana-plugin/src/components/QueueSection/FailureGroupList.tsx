import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';
import type { FailureGroup, FailureGroups } from '../../pulse/failure-groups';
import type { BulkVerb } from './bulkText';
import { formatIsoTime, isShowableTime } from '../../format/time';
import { formatAge, formatCount } from './format';
import { testIds } from '../testIds';

const ids = testIds.queueSection;

/** Props of {@link FailureGroupList}. */
export interface FailureGroupListProps {
  groups: FailureGroups;
  /** Jobs failed in all, or `null` when the agent did not count them. */
  failed: number | null;
  /** Epoch milliseconds the relative times are measured from. */
  now: number;
  /** The bulk buttons of each group; none without. */
  actions?: GroupActions;
}

/** What a failure group's bulk buttons may do, and do. */
export interface GroupActions {
  canRetry: boolean;
  canDelete: boolean;
  /** Whether the group's verb is waiting for its dry run or outcome. */
  isBusy: (verb: BulkVerb, group: FailureGroup) => boolean;
  onBulk: (verb: BulkVerb, group: FailureGroup) => void;
}

/** A key the collector accepts as a fingerprint: 16 lowercase hex digits. */
const FINGERPRINT = /^[0-9a-f]{16}$/;

/** "Retry all like this" / "Delete all like this" of one group, as `actions` allow. */
function GroupButtons({ group, actions }: { group: FailureGroup; actions: GroupActions }) {
  const s = useStyles2(getStyles);
  if (!FINGERPRINT.test(group.key) || (!actions.canRetry && !actions.canDelete)) {
    return null;
  }
  const button = (verb: BulkVerb) => {
    const busy = actions.isBusy(verb, group);
    return (
      <Button
        size="sm"
        variant={verb === 'delete' ? 'destructive' : 'secondary'}
        fill="outline"
        icon={busy ? 'spinner' : verb === 'delete' ? 'trash-alt' : 'repeat'}
        disabled={busy}
        onClick={() => actions.onBulk(verb, group)}
        data-testid={verb === 'delete' ? ids.groupDelete : ids.groupRetry}
      >
        {verb === 'delete' ? 'Delete' : 'Retry'} all like this
      </Button>
    );
  };
  return (
    <div className={s.buttons}>
      {actions.canRetry && button('retry')}
      {actions.canDelete && button('delete')}
    </div>
  );
}

/** `5m ago`, titled with the ISO time; nothing for a time `Date` cannot show. */
function Ago({ at, now, label }: { at: number | null; now: number; label: string }) {
  if (!isShowableTime(at)) {
    return null;
  }
  return (
    <span title={formatIsoTime(at)}>
      {label} {formatAge(now - at)} ago
    </span>
  );
}

/**
 * A queue's failures grouped by error fingerprint, biggest first: the normalised message, the
 * first application frame, the count, first and last seen, and one example job. Every field is
 * agent data and rendered as text.
 */
export function FailureGroupList({ groups, failed, now, actions }: FailureGroupListProps) {
  const s = useStyles2(getStyles);
  if (groups.groups.length === 0) {
    return null;
  }
  const of = failed !== null && failed > groups.scanned ? ` of ${formatCount(failed)}` : '';
  return (
    <div className={s.wrap} data-testid={ids.failureGroups}>
      <div className={s.caption}>
        Failures by error · the newest {formatCount(groups.scanned)}
        {of} failed
      </div>
      <ul className={s.list} aria-label="Failure groups">
        {groups.groups.map((group) => (
          <li key={group.key} className={s.group} data-testid={ids.failureGroup} data-key={group.key}>
            <span className={s.count} data-testid={ids.failureGroupCount}>
              ×{formatCount(group.count)}
            </span>
            <div className={s.text}>
              <div className={s.message}>{group.message}</div>
              {group.frame !== null && <div className={s.frame}>at {group.frame}</div>}
              <div className={s.meta}>
                <Ago at={group.firstSeen} now={now} label="first" />
                {isShowableTime(group.firstSeen) && isShowableTime(group.lastSeen) && ' · '}
                <Ago at={group.lastSeen} now={now} label="last" />
                {(isShowableTime(group.firstSeen) || isShowableTime(group.lastSeen)) && ' · '}
                <span>
                  e.g. <span className={s.id}>#{group.example.id}</span>
                  {group.example.name !== null && ` ${group.example.name}`}
                </span>
              </div>
              {actions && <GroupButtons group={group} actions={actions} />}
            </div>
          </li>
        ))}
      </ul>
      {groups.others > 0 && (
        <div className={s.caption} data-testid={ids.failureGroupOthers}>
          and {formatCount(groups.others)} more in other groups
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  caption: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
  }),
  group: css({
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 1),
    borderLeft: `2px solid ${theme.colors.error.border}`,
    background: theme.colors.background.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  count: css({
    flex: '0 0 auto',
    minWidth: theme.spacing(5),
    fontWeight: theme.typography.fontWeightBold,
    fontVariantNumeric: 'tabular-nums',
    color: theme.colors.error.text,
  }),
  text: css({ flex: '1 1 160px', minWidth: 0, overflowWrap: 'anywhere' }),
  message: css({ color: theme.colors.text.primary }),
  frame: css({ fontFamily: theme.typography.fontFamilyMonospace, color: theme.colors.text.secondary }),
  meta: css({ color: theme.colors.text.secondary }),
  id: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  buttons: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1), marginTop: theme.spacing(0.5) }),
});
