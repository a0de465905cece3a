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

  it('match GET and POST under api/ to different roles, and forward the rest of the path', () => {
    const get = matchRoute(routes, 'GET', 'api/pulse/nodes');
    expect(get?.route.reqRole).toBe('Viewer');
    expect(get?.rest).toBe('pulse/nodes');
    expect(targetUrl(get!.route, get!.rest, '?limit=5', data).href).toBe(
      'http://collector:8080/api/pulse/nodes?limit=5',
    );
    const post = matchRoute(routes, 'POST', 'api/pulse/command');
    expect(post?.route.reqRole).toBe('Editor');
  });

  it('send reads of commands (their outcome, an inspected job) as an Editor with the write token', () => {
    const withWrite = {
      ...data,
      SecureJsonData: { apiToken: 's3cret', apiWriteToken: 'wr1te' },
    };
    for (const path of ['api/pulse/commands/c-1', 'api/pulse/commands/c-1/job']) {
      const match = matchRoute(routes, 'GET', path);
      expect(match?.route.reqRole).toBe('Editor');
      expect(targetUrl(match!.route, match!.rest, '', data).href).toBe(
        `http://collector:8080/${path}`,
      );
      expect(interpolate(match!.route.headers![0]!.content, withWrite)).toBe('Bearer wr1te');
      expect(interpolate(match!.route.headers![0]!.content, data)).toBe('Bearer s3cret');
    }
    // Everything else under api/ stays a Viewer's read with the read token.
    expect(matchRoute(routes, 'GET', 'api/pulse/audit')?.route.reqRole).toBe('Viewer');
    expect(matchRoute(routes, 'GET', 'api/pulse/commandsx')?.route.reqRole).toBe('Viewer');
  });

  it('match readyz exactly, and nothing else', () => {
    expect(matchRoute(routes, 'GET', 'readyz')?.route.url).toContain('/readyz');
    expect(matchRoute(routes, 'GET', 'metrics')).toBeUndefined();
    expect(matchRoute(routes, 'GET', 'apix/pulse')).toBeUndefined();
    expect(matchRoute(routes, 'DELETE', 'api/pulse/nodes')).toBeUndefined();
  });

  it('send the write token with commands when one is saved, else the API token', () => {
    const header = matchRoute(routes, 'POST', 'api/pulse/command')!.route.headers![0]!;
    expect(interpolate(header.content, data)).toBe('Bearer s3cret');
    const withWrite = { ...data, SecureJsonData: { apiToken: 's3cret', apiWriteToken: 'wr1te' } };
    expect(interpolate(header.content, withWrite)).toBe('Bearer wr1te');
    const emptyWrite = { ...data, SecureJsonData: { apiToken: 's3cret', apiWriteToken: '' } };
    expect(interpolate(header.content, emptyWrite)).toBe('Bearer s3cret');
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
