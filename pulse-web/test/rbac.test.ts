/**
 * The proxy stand-in's RBAC, from the BUILT `plugin.json` (the file Grafana reads): each basic
 * role holds the actions the plugin's roles grant it, and each command route admits exactly the
 * roles whose actions include the route's `reqAction`.
 */
import { readFileSync } from 'node:fs';
import { ORG_ROLES, type OrgRole } from '../src/server/options';
import { actionsOf, mayUseRoute, permissionMap, readPluginRoles } from '../src/server/rbac';
import { loadPluginRoutes, matchRoute } from '../src/server/routes';
import { pluginJsonPath } from '../src/server/server';

function builtPluginJson(): string {
  const path = require
    .resolve('gravito-quasar-app/package.json')
    .replace(/package\.json$/, 'dist/plugin.json');
  try {
    readFileSync(path);
  } catch {
    throw new Error(`${path} is missing: run "npm run build --workspace grafana-plugin" first`);
  }
  return path;
}

const built = loadPluginRoutes(builtPluginJson());
const source = loadPluginRoutes(pluginJsonPath());

/** Whether `role` may POST the `verb` route, as Grafana decides it. */
function allowed(role: OrgRole, method: string, path: string): boolean {
  const matched = matchRoute(built.routes, method, path);
  if (!matched) throw new Error(`no route for ${method} ${path}`);
  return mayUseRoute(matched.route, role, actionsOf(role, built.roles));
}

describe('the built plugin.json', () => {
  it('is the one the server reads: same routes, same roles', () => {
    expect(built.routes).toEqual(source.routes);
    expect(built.roles).toEqual(source.roles);
    expect(built.roles.length).toBeGreaterThanOrEqual(4);
  });

  // Today's behaviour by default: Editors retry and delete; pausing and promoting is new, for Admins.
  it.each([
    ['Viewer', { retry: false, delete: false, inspect: false, pause: false, promote: false }],
    ['Editor', { retry: true, delete: true, inspect: true, pause: false, promote: false }],
    ['Admin', { retry: true, delete: true, inspect: true, pause: true, promote: true }],
  ] as const)('lets a %s use exactly these command routes: %j', (role, expected) => {
    for (const [verb, may] of Object.entries(expected)) {
      expect([verb, allowed(role, 'POST', `api/pulse/command/${verb}`)]).toEqual([verb, may]);
    }
  });

  it.each(ORG_ROLES)('lets a %s read, and inspect results only with the inspect action', (role) => {
    expect(allowed(role, 'GET', 'api/pulse/nodes')).toBe(true);
    expect(allowed(role, 'GET', 'readyz')).toBe(true);
    const inspects = role !== 'Viewer';
    expect(allowed(role, 'GET', 'api/pulse/commands/c-1/job')).toBe(inspects);
    expect(allowed(role, 'GET', 'api/pulse/inspections/c-1/job')).toBe(inspects);
  });
});

describe('roles', () => {
  const roles = readPluginRoles([
    { role: { name: 'R', permissions: [{ action: 'app.r' }] }, grants: ['Viewer'] },
    { role: { name: 'W', permissions: [{ action: 'app.w' }, { nope: 1 }] }, grants: ['Editor'] },
    { role: { name: 'X', permissions: [{ action: 'app.x' }] }, grants: ['Admin'] },
    { role: { name: 'bad', permissions: 'x' }, grants: ['Viewer'] },
    null,
    'junk',
  ]);

  it('drop malformed entries and grant each basic role what lies below it', () => {
    expect(roles.map((r) => r.role.name)).toEqual(['R', 'W', 'X']);
    expect([...actionsOf('Viewer', roles)]).toEqual(['app.r']);
    expect([...actionsOf('Editor', roles)]).toEqual(['app.r', 'app.w']);
    expect([...actionsOf('Admin', roles)]).toEqual(['app.r', 'app.w', 'app.x']);
    expect(readPluginRoles(undefined)).toEqual([]);
  });

  it('decide a route on reqAction alone when it has one, as Grafana does, else on reqRole', () => {
    const viewer = actionsOf('Viewer', roles);
    expect(mayUseRoute({ reqAction: 'app.w', reqRole: 'Viewer' }, 'Viewer', viewer)).toBe(false);
    expect(mayUseRoute({ reqAction: 'app.r', reqRole: 'Admin' }, 'Viewer', viewer)).toBe(true);
    expect(mayUseRoute({ reqRole: 'Editor' }, 'Viewer', viewer)).toBe(false);
    expect(mayUseRoute({ reqRole: 'Editor' }, 'Admin', new Set())).toBe(true);
    expect(mayUseRoute({}, 'Viewer', new Set())).toBe(true);
  });

  it('list actions as Grafana boot data does, on a prototype-free map', () => {
    const map = permissionMap(new Set(['app.r', '__proto__']));
    expect(Object.getPrototypeOf(map)).toBeNull();
    expect(JSON.parse(JSON.stringify(map))).toEqual({ 'app.r': true, ['__proto__']: true });
  });
});
