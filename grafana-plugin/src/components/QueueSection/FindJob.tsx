import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Input, useStyles2 } from '@grafana/ui';
import { MAX_ID_LENGTH } from '../../api/limits';
import { testIds } from '../testIds';

const ids = testIds.queueSection;

/** Props of {@link FindJob}. */
export interface FindJobProps {
  nodeId: string;
  /** Called with the trimmed id; the job is looked up in every queue the node's agent monitors. */
  onFind: (jobId: string) => void;
}

/**
 * A job looked up by its exact id across a node's queues: the agent reads that one key per
 * queue, never scanning. Searching by name or error is what the failure groups are for.
 */
export function FindJob({ nodeId, onFind }: FindJobProps) {
  const s = useStyles2(getStyles);
  const [jobId, setJobId] = useState('');
  const id = jobId.trim();
  return (
    <form
      className={s.form}
      data-testid={ids.findJob}
      onSubmit={(event) => {
        event.preventDefault();
        if (id !== '') {
          onFind(id);
        }
      }}
    >
      <Input
        className={s.input}
        value={jobId}
        maxLength={MAX_ID_LENGTH}
        placeholder="Job id"
        aria-label={`Find a job by id on ${nodeId}`}
        onChange={(event) => setJobId(event.currentTarget.value)}
        data-testid={ids.findJobInput}
      />
      <Button
        type="submit"
        size="sm"
        variant="secondary"
        icon="search"
        disabled={id === ''}
        data-testid={ids.findJobSubmit}
      >
        Find job
      </Button>
    </form>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  form: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center' }),
  input: css({ maxWidth: 280 }),
});
