/** The app proxy stand-in's route rules, read from the plugin's real `plugin.json`. */
import {
  hasRole,
  interpolate,
  loadPluginRoutes,
  matchRoute,
  targetUrl,
} from '../src/server/routes';
import { pluginJsonPath } from '../src/server/server';

const { id, routes } = loadPluginRoutes(pluginJsonPath());
const data = {
  JsonData: { collectorUrl: 'http://collector:8080' },
  SecureJsonData: { apiToken: 's3cret' },
};

describe('the plugin routes', () => {
  it('belong to the app', () => {
    expect(id).toBe('gravito-quasar-app');
    expect(routes.length).toBeGreaterThanOrEqual(3);
  });

  it('match GET under api/ to the readers route, and forward the rest of the path', () => {
    const get = matchRoute(routes, 'GET', 'api/pulse/nodes');
    expect(get?.route.reqAction).toBe('gravito-quasar-app.queues:read');
    expect(get?.rest).toBe('pulse/nodes');
    expect(targetUrl(get!.route, get!.rest, '?limit=5', data).href).toBe(
      'http://collector:8080/api/pulse/nodes?limit=5',
    );
  });

  it('match each command to its verb route only, exactly, with nothing forwarded past it', () => {
    const retry = matchRoute(routes, 'POST', 'api/pulse/command/retry');
    expect(retry?.route.reqAction).toBe('gravito-quasar-app.jobs:retry');
    expect(retry?.rest).toBe('');
    expect(targetUrl(retry!.route, retry!.rest, '', data).href).toBe(
      'http://collector:8080/api/pulse/command/retry',
    );
    // As Grafana's router does, a segment compares decoded.
    expect(matchRoute(routes, 'POST', 'api/pulse/command/%72etry')?.route).toBe(retry?.route);
    expect(matchRoute(routes, 'POST', 'api/pulse/command')).toBeUndefined();
    expect(matchRoute(routes, 'POST', 'api/pulse/command/retry/x')).toBeUndefined();
    expect(matchRoute(routes, 'POST', 'api/pulse/command/purge')).toBeUndefined();
    expect(matchRoute(routes, 'POST', 'api/pulse/nodes')).toBeUndefined();
  });

  it('match an inspection, however spelled, to the inspect action before the readers route', () => {
    for (const path of ['api/pulse/commands/c-1/job', 'api/pulse/commands/c-1/%6Aob']) {
      expect(matchRoute(routes, 'GET', path)?.route.reqAction).toBe(
        'gravito-quasar-app.jobs:inspect',
      );
    }
    const inspection = matchRoute(routes, 'GET', 'api/pulse/inspections/c-1/job');
    expect(inspection?.route.reqAction).toBe('gravito-quasar-app.jobs:inspect');
    expect(targetUrl(inspection!.route, inspection!.rest, '', data).href).toBe(
      'http://collector:8080/api/pulse/commands/c-1/job',
    );
    expect(matchRoute(routes, 'GET', 'api/pulse/commands/c-1')?.route.path).toBe('api/*');
  });

  it('match readyz exactly, and nothing else', () => {
    expect(matchRoute(routes, 'GET', 'readyz')?.route.url).toContain('/readyz');
    expect(matchRoute(routes, 'GET', 'metrics')).toBeUndefined();
    expect(matchRoute(routes, 'GET', 'apix/pulse')).toBeUndefined();
    expect(matchRoute(routes, 'DELETE', 'api/pulse/nodes')).toBeUndefined();
  });

  it('send the write token with commands when one is saved, else the API token', () => {
    const header = matchRoute(routes, 'POST', 'api/pulse/command/delete')!.route.headers![0]!;
    expect(interpolate(header.content, data)).toBe('Bearer s3cret');
    const withWrite = { ...data, SecureJsonData: { apiToken: 's3cret', apiWriteToken: 'wr1te' } };
    expect(interpolate(header.content, withWrite)).toBe('Bearer wr1te');
    const emptyWrite = { ...data, SecureJsonData: { apiToken: 's3cret', apiWriteToken: '' } };
    expect(interpolate(header.content, emptyWrite)).toBe('Bearer s3cret');
  });

  it("send the app's read-only switch with every command", () => {
    for (const verb of ['retry', 'delete', 'inspect', 'pause', 'promote']) {
      const headers = matchRoute(routes, 'POST', `api/pulse/command/${verb}`)!.route.headers!;
      const readOnly = headers.find((h) => h.name === 'X-Quasar-Read-Only')!;
      expect(interpolate(readOnly.content, data)).toBe('false');
      const on = { ...data, JsonData: { ...data.JsonData, readOnly: 'true' } };
      expect(interpolate(readOnly.content, on)).toBe('true');
    }
  });

  it('template conditionals without else to nothing', () => {
    expect(interpolate('a{{ if .JsonData.missing }}b{{ end }}c', data)).toBe('ac');
    expect(interpolate('{{if .JsonData.collectorUrl}}yes{{end}}', data)).toBe('yes');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'template a field named %s as missing, not as the prototype member',
    (name) => {
      expect(interpolate(`[{{ .JsonData.${name} }}]`, data)).toBe('[]');
      expect(interpolate(`{{ if .SecureJsonData.${name} }}set{{ else }}unset{{ end }}`, data)).toBe(
        'unset',
      );
    },
  );

  it('template the token into the header server-side', () => {
    const header = matchRoute(routes, 'GET', 'api/pulse/nodes')!.route.headers![0]!;
    expect(interpolate(header.content, data)).toBe('Bearer s3cret');
    expect(interpolate('{{ .SecureJsonData.missing }}', data)).toBe('');
  });
});

describe('roles', () => {
  it('rank Viewer < Editor < Admin', () => {
    expect(hasRole('Viewer', 'Editor')).toBe(false);
    expect(hasRole('Editor', 'Editor')).toBe(true);
    expect(hasRole('Admin', 'Editor')).toBe(true);
    expect(hasRole('Viewer', undefined)).toBe(true);
  });
});
