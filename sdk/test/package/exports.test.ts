/**
 * The package as consumers import it (the collector and the Grafana plugin): the built
 * entry points resolve through package.json `exports`, and the schema entry pulls in no Node
 * built-ins, so a browser bundle can take it. `npm test` builds first (the `pretest` script).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SDK_VERSION } from '../../src/version';

const packageJson = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'),
) as {
  version: string;
};

describe('package exports', () => {
  it('resolves @gravito/quasar to the built API with the public names', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolve as a CommonJS consumer does
    const api = require('@gravito/quasar') as Record<string, unknown>;
    for (const name of [
      'QuasarAgent',
      'QuasarConfigError',
      'NODE_METRICS',
      'resourceAttributesOf',
    ]) {
      expect({ name, exported: name in api }).toEqual({ name, exported: true });
    }
  });

  it('resolves @gravito/quasar/schema to the schema alone', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolve as a CommonJS consumer does
    const schema = require('@gravito/quasar/schema') as Record<string, unknown>;
    expect(Object.keys(schema)).toEqual(
      expect.arrayContaining(['QuasarKeys', 'parseHeartbeat', 'statusOf']),
    );
    expect('QuasarAgent' in schema).toBe(false);
  });

  it('keeps the schema free of Node built-ins and third-party modules', () => {
    const dir = dirname(require.resolve('@gravito/quasar/schema'));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
      const requires = [
        ...readFileSync(join(dir, file), 'utf8').matchAll(/require\("([^"]+)"\)/g),
      ].map((m) => m[1]);
      expect({ file, external: requires.filter((r) => !r?.startsWith('./')) }).toEqual({
        file,
        external: [],
      });
    }
  });

  it('reports the version from package.json in heartbeats', () => {
    expect(SDK_VERSION).toBe(packageJson.version);
  });
});
