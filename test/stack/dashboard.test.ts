/**
 * The dashboard the demo stack provisions (the plugin's own, see grafana-provisioning.test.ts)
 * uses only panels Grafana has and data sources the stack provisions.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, composeService, hostPathOf, list, readJson, readYaml, record, str } from './support';

/** Panel types built into Grafana 12 and 13. */
const CORE_PANELS = new Set([
  'alertlist',
  'annolist',
  'barchart',
  'bargauge',
  'candlestick',
  'canvas',
  'dashlist',
  'flamegraph',
  'gauge',
  'geomap',
  'heatmap',
  'histogram',
  'logs',
  'news',
  'nodeGraph',
  'piechart',
  'row',
  'stat',
  'state-timeline',
  'status-history',
  'table',
  'text',
  'timeseries',
  'traces',
  'trend',
  'xychart',
]);

const PANEL_ID = str(
  record(readJson('grafana-plugin/src/panel/plugin.json'), 'panel').id,
  'panel plugin id',
);

/** The dashboard files Grafana reads, through the provider's path and the compose mounts. */
function provisionedDashboards(): Array<{ path: string; json: Record<string, unknown> }> {
  const grafana = composeService('grafana');
  const providerFile = hostPathOf(grafana, '/etc/grafana/provisioning/dashboards/quasar.yaml');
  const providers = list(record(readYaml(providerFile ?? ''), 'providers file').providers, 'p');
  return providers.flatMap((provider) => {
    const path = str(record(record(provider, 'provider').options, 'options').path, 'path');
    const host = hostPathOf(grafana, path);
    if (host === undefined) throw new Error(`nothing is mounted at ${path}`);
    return readdirSync(join(REPO, host))
      .filter((name) => name.endsWith('.json'))
      .map((name) => `${host}/${name}`)
      .map((file) => ({ path: file, json: record(readJson(file), file) }));
  });
}

/** Every panel, rows' nested panels included. */
function panels(dashboard: Record<string, unknown>): Array<Record<string, unknown>> {
  return list(dashboard.panels ?? [], 'panels').flatMap((raw) => {
    const panel = record(raw, 'panel');
    return [panel, ...panels(panel)];
  });
}

/** Every `datasource` reference: panels', their targets' and the template variables'. */
function datasourceRefs(dashboard: Record<string, unknown>): Array<Record<string, unknown>> {
  const variables = list(record(dashboard.templating, 'templating').list, 'templating.list');
  const owners = [
    ...panels(dashboard),
    ...panels(dashboard).flatMap((p) => list(p.targets ?? [], 'targets')),
    ...variables,
  ].map((owner) => record(owner, 'owner'));
  return owners
    .filter((owner) => owner.datasource !== undefined && owner.datasource !== null)
    .map((owner) => record(owner.datasource, 'datasource'));
}

describe('the provisioned Quasar overview dashboard', () => {
  const dashboards = provisionedDashboards();
  const sources = list(
    record(readYaml('provisioning/grafana/datasources/datasources.yaml'), 'ds').datasources,
    'datasources',
  ).map((d) => record(d, 'datasource'));
  const provisionedTypes = new Set(sources.map((s) => str(s.type, 'type')));

  it('is found where the provider points', () => {
    expect(dashboards.map((d) => d.json.uid)).toEqual(['quasar-overview']);
  });

  it('uses only core panels and the Quasar Pulse panel', () => {
    for (const { json } of dashboards) {
      const types = panels(json).map((p) => str(p.type, 'panel type'));
      expect(types).toContain(PANEL_ID);
      for (const type of types) {
        expect({ type, known: CORE_PANELS.has(type) || type === PANEL_ID }).toEqual({
          type,
          known: true,
        });
      }
    }
  });

  it('offers datasource variables only of provisioned data source types', () => {
    for (const { json } of dashboards) {
      const variables = list(record(json.templating, 't').list, 'list').map((v) => record(v, 'v'));
      const datasourceVars = variables.filter((v) => v.type === 'datasource');
      expect(datasourceVars.length).toBeGreaterThan(0);
      for (const v of datasourceVars) {
        expect({
          variable: v.name,
          provisioned: provisionedTypes.has(str(v.query, 'query')),
        }).toEqual({ variable: v.name, provisioned: true });
      }
    }
  });

  it('refers only to provisioned data sources, by uid or by a variable of the same type', () => {
    for (const { json } of dashboards) {
      const variables = list(record(json.templating, 't').list, 'list').map((v) => record(v, 'v'));
      const typeOfVariable = new Map(
        variables
          .filter((v) => v.type === 'datasource')
          .map((v) => [`\${${String(v.name)}}`, v.query]),
      );
      const refs = datasourceRefs(json);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        const type = str(ref.type, 'datasource type');
        const uid = str(ref.uid, 'datasource uid');
        const byUid = sources.some((s) => s.type === type && s.uid === uid);
        const byVariable = typeOfVariable.get(uid) === type;
        expect({ type, uid, resolves: byUid || byVariable }).toEqual({ type, uid, resolves: true });
      }
    }
  });
});
