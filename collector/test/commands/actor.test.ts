import { actorOf } from '../../src/commands/actor';

describe('actorOf', () => {
  it('names the credential when no Grafana user is given', () => {
    expect(actorOf({}, 'write-token')).toEqual({
      actor: 'write-token',
      actorKind: 'token',
      credential: 'write-token',
    });
    expect(actorOf({}, 'none')).toMatchObject({ actor: 'anonymous', actorKind: 'token' });
  });

  it('takes the Grafana user from X-Grafana-User, keeping the credential alongside', () => {
    expect(actorOf({ 'x-grafana-user': 'alice' }, 'api-token')).toEqual({
      actor: 'alice',
      actorKind: 'grafana-user',
      credential: 'api-token',
    });
  });

  it("falls back to the user login in X-Grafana-Context's JSON", () => {
    const context = JSON.stringify({ user: { login: 'bob' } });
    expect(actorOf({ 'x-grafana-context': context }, 'api-token').actor).toBe('bob');
    expect(actorOf({ 'x-grafana-context': '{not json' }, 'api-token').actor).toBe('api-token');
  });

  it('strips control characters and caps the length of a user name', () => {
    expect(actorOf({ 'x-grafana-user': 'eve\r\nforged' }, 'api-token').actor).toBe('eveforged');
    expect(actorOf({ 'x-grafana-user': 'u'.repeat(300) }, 'api-token').actor).toHaveLength(256);
    expect(actorOf({ 'x-grafana-user': '\u0007' }, 'api-token').actorKind).toBe('token');
  });
});
