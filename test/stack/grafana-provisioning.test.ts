/**
 * provisioning/grafana, checked against Grafana's provisioning file formats and against the
 * plugin it provisions: the ids come from the plugin.json files, the URLs from docker-compose.yml.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, composeService, hostPathOf, list, readJson, readYaml, record, str } from './support';

const pluginId = (path: string) => str(record(readJson(path), path).id, `${path} id`);
const APP_ID = pluginId('grafana-plugin/src/plugin.json');
const DATASOURCE_ID = pluginId('grafana-plugin/src/datasource/plugin.json');
const PANEL_ID = pluginId('grafana-plugin/src/panel/plugin.json');

const PROVISIONING = '/etc/grafana/provisioning';
const PLUGINS = '/var/lib/grafana/plugins';
const grafana = composeService('grafana');

/** A provisioning file, found through the compose mount of /etc/grafana/provisioning. */
function provisioned(path: string): Record<string, unknown> {
  const host = hostPathOf(grafana, `${PROVISIONING}/${path}`);
  if (host === undefined) throw new Error(`nothing is mounted at ${PROVISIONING}/${path}`);
  const file = record(readYaml(host), host);
  // Grafana skips a provisioning file whose apiVersion it does not know.
  if (file.apiVersion !== 1) throw new Error(`${host}: apiVersion must be 1`);
  return file;
}

describe('Grafana in the demo stack', () => {
  it('loads the built plugin, unsigned, under its app id', () => {
    const host = hostPathOf(grafana, `${PLUGINS}/${APP_ID}`);
    expect(host).toBe('grafana-plugin/dist');
    const built = record(readJson(`${host}/plugin.json`), 'dist/plugin.json');
    expect(built.id).toBe(APP_ID);
    const allowed = grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS ?? '';
    expect(allowed.split(',').sort()).toEqual([APP_ID, DATASOURCE_ID, PANEL_ID].sort());
  });

  it('holds only the provisioning folders Grafana reads', () => {
    const host = hostPathOf(grafana, PROVISIONING) ?? '';
    expect(host).toBe('provisioning/grafana');
    expect(readdirSync(join(REPO, host)).sort()).toEqual(['dashboards', 'datasources', 'plugins']);
  });

  it('declares apiVersion 1 in every provisioning file', () => {
    const host = join(REPO, 'provisioning/grafana');
    const files = readdirSync(host).flatMap((dir) =>
      readdirSync(join(host, dir)).map((file) => `provisioning/grafana/${dir}/${file}`),
    );
    expect(files.length).toBe(3);
    for (const file of files) {
      expect(file).toMatch(/\.yaml$/);
      expect({ file, apiVersion: record(readYaml(file), file).apiVersion }).toEqual({
        file,
        apiVersion: 1,
      });
    }
  });
});

describe('provisioning/grafana/plugins/quasar.yaml', () => {
  const apps = list(provisioned('plugins/quasar.yaml').apps, 'apps').map((a) => record(a, 'app'));

  it('enables the Quasar app with the collector’s in-stack URL', () => {
    expect(apps).toHaveLength(1);
    const app = apps[0] ?? {};
    expect(app.type).toBe(APP_ID);
    expect(app.disabled).toBe(false);
    const collector = composeService('quasar-collector');
    expect(record(app.jsonData, 'jsonData')).toEqual({
      collectorUrl: `http://${collector.name}:${collector.environment.PORT}`,
    });
  });

  it('sets the API token as a secret, from the variable Grafana gets in the compose file', () => {
    const app = apps[0] ?? {};
    expect(record(app.secureJsonData, 'secureJsonData')).toEqual({
      apiToken: '$QUASAR_API_TOKEN',
    });
    expect(grafana.environment.QUASAR_API_TOKEN).toBeDefined();
  });

  it('uses the field names the plugin’s proxy routes read', () => {
    const routes = JSON.stringify(record(readJson('grafana-plugin/src/plugin.json'), 'p').routes);
    expect(routes).toContain('{{ .JsonData.collectorUrl }}');
    expect(routes).toContain('{{ .SecureJsonData.apiToken }}');
  });
});

describe('provisioning/grafana/datasources/datasources.yaml', () => {
  const sources = list(provisioned('datasources/datasources.yaml').datasources, 'datasources').map(
    (d) => record(d, 'datasource'),
  );

  it('provisions Prometheus at its in-stack URL and the Quasar data source, with fixed uids', () => {
    expect(sources.map((s) => [s.type, s.uid])).toEqual([
      ['prometheus', 'quasar-prometheus'],
      [DATASOURCE_ID, 'quasar'],
    ]);
    expect(sources[0]?.url).toBe(`http://prometheus:9090`);
    expect(composeService('prometheus').ports[0]?.container).toBe(9090);
    expect(sources.filter((s) => s.isDefault === true)).toHaveLength(1);
  });

  it('names each data source once and gives the Quasar one no URL or secret of its own', () => {
    expect(new Set(sources.map((s) => s.name)).size).toBe(sources.length);
    const quasar = sources.find((s) => s.type === DATASOURCE_ID) ?? {};
    expect(quasar.url).toBeUndefined();
    expect(quasar.secureJsonData).toBeUndefined();
  });
});

describe('provisioning/grafana/dashboards/quasar.yaml', () => {
  const providers = list(provisioned('dashboards/quasar.yaml').providers, 'providers').map((p) =>
    record(p, 'provider'),
  );

  it('is one file provider reading the dashboards the plugin ships, the same files', () => {
    expect(providers).toHaveLength(1);
    const provider = providers[0] ?? {};
    expect(provider.type).toBe('file');
    const path = str(record(provider.options, 'options').path, 'options.path');
    const host = hostPathOf(grafana, path) ?? '';
    expect(host).toBe('grafana-plugin/dist/dashboards');
    const shipped = readdirSync(join(REPO, 'grafana-plugin/src/dashboards')).sort();
    expect(readdirSync(join(REPO, host)).sort()).toEqual(shipped);
    for (const file of shipped) {
      const source = readFileSync(join(REPO, 'grafana-plugin/src/dashboards', file), 'utf8');
      expect({ file, same: readFileSync(join(REPO, host, file), 'utf8') === source }).toEqual({
        file,
        same: true,
      });
    }
  });

  it('keeps the provisioned dashboards read-only in a fixed folder', () => {
    const provider = providers[0] ?? {};
    expect(provider.disableDeletion).toBe(true);
    expect(provider.allowUiUpdates).toBe(false);
    expect(provider.folder).toBe('Quasar');
    expect(provider.folderUid).toEqual(expect.any(String));
    expect(existsSync(join(REPO, 'grafana-plugin/dist/dashboards/overview.json'))).toBe(true);
  });
});
