import type { Credential, Principal } from '../../src/auth/principal';
import { actorOf } from '../../src/commands/actor';

const token = (credential: Credential, name: string = credential): Principal => ({
  name,
  credential,
  scopes: new Set(['read']),
});

describe('actorOf', () => {
  it('names the token when no Grafana user is given', () => {
    expect(actorOf({}, token('write-token'))).toEqual({
      actor: 'write-token',
      actorKind: 'token',
      credential: 'write-token',
      tokenName: 'write-token',
    });
    expect(actorOf({}, token('named-token', 'ci-bot'))).toEqual({
      actor: 'ci-bot',
      actorKind: 'token',
      credential: 'named-token',
      tokenName: 'ci-bot',
    });
    expect(actorOf({}, token('none', 'anonymous'))).toMatchObject({
      actor: 'anonymous',
      actorKind: 'token',
    });
  });

  it('takes the Grafana user from X-Grafana-User, keeping the credential alongside', () => {
    expect(actorOf({ 'x-grafana-user': 'alice' }, token('named-token', 'grafana'))).toEqual({
      actor: 'alice',
      actorKind: 'grafana-user',
      credential: 'named-token',
      tokenName: 'grafana',
    });
  });

  it("falls back to the user login in X-Grafana-Context's JSON", () => {
    const context = JSON.stringify({ user: { login: 'bob' } });
    expect(actorOf({ 'x-grafana-context': context }, token('api-token')).actor).toBe('bob');
    expect(actorOf({ 'x-grafana-context': '{not json' }, token('api-token')).actor).toBe(
      'api-token',
    );
  });

  it('strips control characters and caps the length of a user name', () => {
    expect(actorOf({ 'x-grafana-user': 'eve\r\nforged' }, token('api-token')).actor).toBe(
      'eveforged',
    );
    expect(actorOf({ 'x-grafana-user': 'u'.repeat(300) }, token('api-token')).actor).toHaveLength(
      256,
    );
    expect(actorOf({ 'x-grafana-user': '\u0007' }, token('api-token')).actorKind).toBe('token');
  });
});
