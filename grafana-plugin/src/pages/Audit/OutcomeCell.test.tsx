import React from 'react';
import { render, screen } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import type { AuditRow } from './auditRows';
import { actorOf } from './AuditTable';
import { OutcomeCell } from './OutcomeCell';

const row = (fields: Partial<AuditRow>): AuditRow => ({
  time: null,
  commandId: 'cmd-1',
  action: 'RETRY_JOB',
  service: 's',
  nodeId: 'n',
  queue: 'q',
  scope: 'job',
  jobId: '1',
  actor: 'alice',
  actorKind: 'grafana-user',
  outcome: 'succeeded',
  affected: 1,
  reason: null,
  ...fields,
});

describe('the audit table, for values named like Object.prototype members', () => {
  it.each(['constructor', '__proto__', 'toString', 'valueOf'])(
    'shows an outcome named %s as an unknown state, in grey',
    (outcome) => {
      render(<OutcomeCell row={row({ outcome, affected: null })} />);
      expect(screen.getByTestId(testIds.audit.outcome)).toHaveTextContent(outcome);
    }
  );

  it.each(['constructor', '__proto__', 'toString'])('names an actor kind %s as it came', (actorKind) => {
    expect(actorOf(row({ actorKind }))).toBe(`alice (${actorKind})`);
    expect(actorOf(row({ actorKind: 'token', actor: 'token' }))).toBe('token (API token)');
  });
});
