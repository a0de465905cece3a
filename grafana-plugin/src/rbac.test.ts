import pluginJson from './plugin.json';
import { QUEUE_ACTIONS } from './pulse/queue';
import { defaultActions, READ_ACTION, VERB_ACTIONS } from './rbac';

const A = 'gravito-quasar-app.';

describe('the roles plugin.json declares', () => {
  it("give each basic role today's rights by default: Viewers read, Editors retry, inspect and delete, Admins everything", () => {
    expect([...defaultActions('Viewer')].sort()).toEqual([`${A}queues:read`]);
    expect([...defaultActions('Editor')].sort()).toEqual(
      [`${A}jobs:delete`, `${A}jobs:inspect`, `${A}jobs:retry`, `${A}queues:read`].sort()
    );
    expect([...defaultActions('Admin')].sort()).toEqual([READ_ACTION, ...Object.values(VERB_ACTIONS)].sort());
  });

  it('grant nothing to a role that is none of the basic ones', () => {
    expect(defaultActions('None').size).toBe(0);
    expect(defaultActions('constructor').size).toBe(0);
  });

  it('keep delete in a role of its own granted to Editors, so an admin can take delete away and leave retry', () => {
    const holders = pluginJson.roles.filter((r) => r.role.permissions.some((p) => p.action === VERB_ACTIONS.delete));
    const editorRoles = holders.filter((r) => r.grants.includes('Editor'));
    expect(editorRoles).toHaveLength(1);
    expect(editorRoles[0].role.permissions.map((p) => p.action)).toEqual([VERB_ACTIONS.delete]);
  });

  it('name every action after the plugin id, as Grafana requires of plugin roles', () => {
    for (const declared of pluginJson.roles) {
      for (const permission of declared.role.permissions) {
        expect(permission.action.startsWith(`${pluginJson.id}.`)).toBe(true);
      }
    }
  });

  it('gate each verb route with its verb action, and every route with some action', () => {
    for (const verb of QUEUE_ACTIONS) {
      const route = pluginJson.routes.find((r) => r.path === `api/pulse/command/${verb}`);
      expect(route).toMatchObject({ method: 'POST', reqAction: VERB_ACTIONS[verb] });
    }
    for (const route of pluginJson.routes) {
      expect(route.reqAction).toMatch(new RegExp(`^${A.replace('.', '\\.')}`));
    }
  });
});
