import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Button, ConfirmModal, useStyles2 } from '@grafana/ui';
import type { PollOptions } from '../../api/commands';
import type { QueueView } from '../../pulse/queue';
import { testIds } from '../testIds';
import { formatAge } from './format';
import { may, type QueuePermissions } from './permissions';
import { queueCommandConfirm, type QueueCommand } from './queueCommands';
import { useQueueCommand } from './useQueueCommand';

const ids = testIds.queueSection;

/** Props of {@link QueueControls}. */
export interface QueueControlsProps {
  service: string;
  nodeId: string;
  queue: QueueView;
  permissions: QueuePermissions;
  poll: PollOptions;
  /** The clock relative times read. */
  now: number;
}

/**
 * A queue's paused badge (with who paused it and when, where the collector recorded it) and its
 * queue-wide buttons: Pause or Resume, and Promote delayed, each shown only where the user holds
 * the verb and the agent enabled it, and each behind a confirmation that says what happens.
 */
export function QueueControls({ service, nodeId, queue, permissions, poll, now }: QueueControlsProps) {
  const s = useStyles2(getStyles);
  const { inFlight, run } = useQueueCommand(service, nodeId, queue, poll);
  const [confirming, setConfirming] = useState<QueueCommand | null>(null);
  const canPause = may(permissions, queue, 'pause');
  const canPromote = may(permissions, queue, 'promote');
  const delayed = queue.counts.find((c) => c.state === 'delayed')?.count ?? null;
  const confirm = queueCommandConfirm(confirming ?? 'pause', queue.name);
  const toggle: QueueCommand = queue.paused ? 'resume' : 'pause';

  return (
    <>
      {queue.paused && <Badge text="paused" color="orange" icon="pause" data-testid={ids.paused} />}
      {queue.paused && queue.pausedBy !== null && (
        <span
          className={s.pausedBy}
          data-testid={ids.pausedBy}
          title={queue.pausedAt !== null ? new Date(queue.pausedAt).toISOString() : undefined}
        >
          by {queue.pausedBy}
          {queue.pausedAt !== null && <>, {formatAge(now - queue.pausedAt)} ago</>}
        </span>
      )}
      {canPause && (
        <Button
          size="sm"
          variant="secondary"
          icon={inFlight === toggle ? 'spinner' : queue.paused ? 'play' : 'pause'}
          disabled={inFlight !== null}
          onClick={() => setConfirming(toggle)}
          data-testid={queue.paused ? ids.resume : ids.pause}
        >
          {queue.paused ? 'Resume' : 'Pause'}
        </Button>
      )}
      {canPromote && (
        <Button
          size="sm"
          variant="secondary"
          icon={inFlight === 'promote' ? 'spinner' : 'arrow-up'}
          disabled={inFlight !== null || delayed === 0}
          onClick={() => setConfirming('promote')}
          data-testid={ids.promote}
        >
          Promote delayed
        </Button>
      )}
      <ConfirmModal
        isOpen={confirming !== null}
        title={confirm.title}
        body={confirm.body}
        confirmText={confirm.text}
        confirmVariant="primary"
        onConfirm={() => {
          if (confirming) {
            void run(confirming);
          }
          setConfirming(null);
        }}
        onDismiss={() => setConfirming(null)}
      />
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  pausedBy: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
