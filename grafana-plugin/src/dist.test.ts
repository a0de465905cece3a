// Checks the plugin.json files of the build, as Grafana will read them. `npm test` builds first
// (pretest); a missing dist/ fails here rather than skipping.
import fs from 'fs';
import path from 'path';
import { QueryTypes } from './datasource/types';
import { DEFAULT_OPTIONS } from './panel/options';

const DIST = path.resolve(__dirname, '..', 'dist');

function readBuilt(file: string): Record<string, any> {
  const full = path.join(DIST, file);
  if (!fs.existsSync(full)) {
    throw new Error(`${path.relative(process.cwd(), full)} is missing: run "npm run build" first`);
  }
  return JSON.parse(fs.readFileSync(full, 'utf8'));
}

describe('built plugin.json', () => {
  const app = readBuilt('plugin.json');

  it('is the gravito-quasar-app app with its version filled in', () => {
    expect(app).toMatchObject({
      type: 'app',
      id: 'gravito-quasar-app',
      dependencies: { grafanaDependency: '>=12.0.0' },
    });
    expect(app.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(JSON.stringify(app)).not.toMatch(/%[A-Z_]+%/);
  });

  it('bundles the entry module and the logo', () => {
    expect(fs.existsSync(path.join(DIST, 'module.js'))).toBe(true);
    expect(fs.existsSync(path.join(DIST, app.info.logos.small))).toBe(true);
  });

  it('includes the nested data source at a path that exists in the build', () => {
    const nested = app.includes.filter((include: { type: string }) => include.type === 'datasource');
    expect(nested).toEqual([{ type: 'datasource', name: 'Quasar', path: 'datasource/plugin.json' }]);
    expect(fs.existsSync(path.join(DIST, nested[0].path))).toBe(true);
  });

  it('includes the nested Pulse panel at a path that exists in the build', () => {
    const nested = app.includes.filter((include: { type: string }) => include.type === 'panel');
    expect(nested).toEqual([{ type: 'panel', name: 'Quasar Pulse', path: 'panel/plugin.json' }]);
    expect(fs.existsSync(path.join(DIST, nested[0].path))).toBe(true);
  });

  it('adds the app pages to the navigation at the paths the app routes', () => {
    const pages = app.includes.filter((include: { type: string }) => include.type === 'page');
    expect(pages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Slow log', path: '/a/gravito-quasar-app/slow', addToNav: true }),
        expect.objectContaining({ name: 'Audit', path: '/a/gravito-quasar-app/audit', addToNav: true }),
      ])
    );
  });

  it('forwards GET /api/* to the collector for Viewers, with the token from secureJsonData', () => {
    expect(app.routes).toContainEqual({
      path: 'api/*',
      method: 'GET',
      reqRole: 'Viewer',
      url: '{{ .JsonData.collectorUrl }}/api',
      headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }],
    });
  });

  it('reads commands (outcome, inspected job) as an Editor with the write token, before the Viewer route', () => {
    const index = app.routes.findIndex((route: { path: string }) => route.path === 'api/pulse/commands/*');
    expect(app.routes[index]).toEqual({
      path: 'api/pulse/commands/*',
      method: 'GET',
      reqRole: 'Editor',
      url: '{{ .JsonData.collectorUrl }}/api/pulse/commands',
      headers: [
        {
          name: 'Authorization',
          content:
            'Bearer {{ if .SecureJsonData.apiWriteToken }}{{ .SecureJsonData.apiWriteToken }}{{ else }}{{ .SecureJsonData.apiToken }}{{ end }}',
        },
      ],
    });
    // Grafana takes the first route that matches: this one must come before GET api/*.
    expect(index).toBeLessThan(app.routes.findIndex((route: { path: string }) => route.path === 'api/*'));
  });

  it('requires the Editor role for POST /api/* (commands), sending the write token when one is saved', () => {
    const posts = app.routes.filter((route: { method: string }) => route.method === 'POST');
    expect(posts).toEqual([expect.objectContaining({ path: 'api/*', reqRole: 'Editor' })]);
    expect(posts[0].headers).toEqual([
      {
        name: 'Authorization',
        content:
          'Bearer {{ if .SecureJsonData.apiWriteToken }}{{ .SecureJsonData.apiWriteToken }}{{ else }}{{ .SecureJsonData.apiToken }}{{ end }}',
      },
    ]);
  });

  it('reaches /readyz, which is outside /api and needs no token', () => {
    const ready = app.routes.find((route: { path: string }) => route.path === 'readyz');
    expect(ready).toEqual({
      path: 'readyz',
      method: 'GET',
      reqRole: 'Viewer',
      url: '{{ .JsonData.collectorUrl }}/readyz',
    });
  });

  it('never lets a route go without a role', () => {
    for (const route of app.routes) {
      expect(['Viewer', 'Editor', 'Admin']).toContain(route.reqRole);
    }
  });
});

describe('built datasource/plugin.json', () => {
  const ds = readBuilt('datasource/plugin.json');

  it('is the gravito-quasar-datasource data source with its own module and logo', () => {
    expect(ds).toMatchObject({ type: 'datasource', id: 'gravito-quasar-datasource', metrics: true });
    expect(fs.existsSync(path.join(DIST, 'datasource', 'module.js'))).toBe(true);
    expect(fs.existsSync(path.join(DIST, 'datasource', ds.info.logos.small))).toBe(true);
    expect(JSON.stringify(ds)).not.toMatch(/%[A-Z_]+%/);
  });
});

describe('built panel/plugin.json', () => {
  const panel = readBuilt('panel/plugin.json');

  it('is the gravito-pulse-panel panel with its own module and logo', () => {
    expect(panel).toMatchObject({ type: 'panel', id: 'gravito-pulse-panel', skipDataQuery: true });
    expect(fs.existsSync(path.join(DIST, 'panel', 'module.js'))).toBe(true);
    expect(fs.existsSync(path.join(DIST, 'panel', panel.info.logos.small))).toBe(true);
    expect(JSON.stringify(panel)).not.toMatch(/%[A-Z_]+%/);
  });
});

describe('the bundled dashboard', () => {
  const app = readBuilt('plugin.json');
  const dashboards = app.includes.filter((include: { type: string }) => include.type === 'dashboard');
  const CORE_PANELS = ['stat', 'timeseries', 'table', 'row'];
  const panelIds = [readBuilt('panel/plugin.json').id];
  const datasourceTypes = ['prometheus', readBuilt('datasource/plugin.json').id];

  it('is included at a path that exists in the build', () => {
    expect(dashboards).toEqual([
      { type: 'dashboard', name: 'Quasar overview', path: 'dashboards/overview.json', addToNav: true },
    ]);
  });

  const dashboard = readBuilt('dashboards/overview.json');
  const variables: Array<{ name: string; type: string; query: unknown }> = dashboard.templating.list;
  const panels: Array<Record<string, any>> = dashboard.panels;

  it('uses only core panels and the nested Pulse panel, with unique ids inside the 24-column grid', () => {
    for (const panel of panels) {
      expect([...CORE_PANELS, ...panelIds]).toContain(panel.type);
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    }
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    expect(panels.map((p) => p.type)).toContain('gravito-pulse-panel');
  });

  it('points every query at a data source variable of a type that exists', () => {
    const dsVariables = new Map(
      variables.filter((v) => v.type === 'datasource').map((v) => [`\${${v.name}}`, v.query])
    );
    const refs = panels
      .flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t: any) => t.datasource)])
      .filter(Boolean);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(datasourceTypes).toContain(ref.type);
      expect(dsVariables.get(ref.uid)).toBe(ref.type);
    }
  });

  it('asks the Quasar data source only for query types it has, and gives the Pulse panel only its options', () => {
    const quasarTargets = panels
      .flatMap((p) => p.targets ?? [])
      .filter((t: any) => t.datasource.type === 'gravito-quasar-datasource');
    expect(quasarTargets.length).toBeGreaterThan(0);
    for (const target of quasarTargets) {
      expect(Object.values(QueryTypes)).toContain(target.queryType);
    }
    const pulse = panels.find((p) => p.type === 'gravito-pulse-panel')!;
    expect(Object.keys(pulse.options).sort()).toEqual(Object.keys(DEFAULT_OPTIONS).sort());
  });
});
