/** docs/configuration.md is exactly what the option tables render, and the renderer reads them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DOC_PATH,
  REGENERATE,
  codeSources,
  firstDifference,
  renderConfigReference,
} from '../../scripts/config-reference';
import type { ReferenceSources } from '../../scripts/config-reference';
import { SETTINGS } from '../../collector/src/config/settings';
import { setting, text } from '../../collector/src/config/parsers';
import { ENV } from '../../sdk/src/options/defaults';
import { PROBE_TYPES } from '../../sdk/src/queues/registry';
import { SETTING_LIST } from '../../sdk/src/sidecar/settings';

const ROOT = join(__dirname, '..', '..');

/** The sources with one file's text changed, as an edit to the code would change it. */
function withSource(path: string, edit: (text: string) => string): ReferenceSources {
  const sources = codeSources();
  return {
    ...sources,
    readSource: (p) => (p === path ? edit(sources.readSource(p)) : sources.readSource(p)),
  };
}

describe('docs/configuration.md', () => {
  let rendered: string;

  beforeAll(async () => {
    rendered = await renderConfigReference();
  });

  it('is exactly what the option tables render', () => {
    const onDisk = readFileSync(join(ROOT, DOC_PATH), 'utf8');
    const difference = firstDifference(rendered, onDisk);
    expect(
      difference ? `${DOC_PATH} is out of date (${difference}); run: ${REGENERATE}` : 'up to date',
    ).toBe('up to date');
  });

  it.each(SETTINGS.map((s) => [s.flag, s.env] as const))(
    'lists the collector flag --%s and its variables',
    (flag, env) => {
      expect(rendered).toContain(`\`--${flag}`);
      for (const name of env) expect(rendered).toContain(`\`${name}\``);
    },
  );

  it.each(SETTING_LIST.map((s) => [s.key, s] as const))(
    'lists the sidecar setting %s by its flag, variables and config key',
    (_key, s) => {
      if (s.flag) expect(rendered).toContain(`\`${s.flag}`);
      for (const name of s.env ?? []) expect(rendered).toContain(`\`${name}\``);
      if (s.configKey) expect(rendered).toContain(`\`${s.configKey}\``);
    },
  );

  it('lists every SDK environment variable of ENV', () => {
    for (const names of Object.values(ENV)) {
      for (const name of typeof names === 'string' ? [names] : names) {
        expect(rendered).toContain(`\`${name}\``);
      }
    }
  });

  it.each([...PROBE_TYPES.values()].map((p) => [p.type, p.options] as const))(
    'lists the %s probe type and its options',
    (type, options) => {
      expect(rendered).toContain(`### \`${type}\``);
      for (const option of options) expect(rendered).toContain(`\`${option}\``);
    },
  );

  it('follows the collector settings table: a new setting appears, a removed one goes', async () => {
    const sources = codeSources();
    const extra = setting({
      key: 'consumerName',
      flag: 'made-up-flag',
      env: ['QUASAR_MADE_UP'],
      placeholder: 'name',
      help: 'A setting that exists only in this test',
      parse: text,
    });
    const changed = await renderConfigReference({
      ...sources,
      collectorSettings: [...SETTINGS.filter((s) => s.flag !== 'slow-batch-size'), extra],
    });
    expect(changed).toContain('`--made-up-flag <name>`');
    expect(changed).toContain('`QUASAR_MADE_UP`');
    expect(changed).toContain('A setting that exists only in this test');
    expect(changed).not.toContain('--slow-batch-size');
    expect(rendered).toContain('`--slow-batch-size <n>`');
  });

  it('follows the TSDoc of the SDK options', async () => {
    const changed = await renderConfigReference(
      withSource('sdk/src/options/types.ts', (t) =>
        t.replace('Milliseconds between heartbeats.', 'Milliseconds between two beats (edited).'),
      ),
    );
    expect(rendered).toContain('Milliseconds between heartbeats.');
    expect(changed).toContain('Milliseconds between two beats (edited).');
  });

  it("follows the pulse-web bin's VARIABLES", async () => {
    const changed = await renderConfigReference(
      withSource('pulse-web/src/server/bin/quasar-pulse-web.ts', (t) =>
        t.replace("theme: 'QUASAR_THEME'", "theme: 'QUASAR_PULSE_THEME'"),
      ),
    );
    expect(rendered).toMatch(/\| `QUASAR_THEME` +\| `theme` /);
    expect(changed).toMatch(/\| `QUASAR_PULSE_THEME` +\| `theme` /);
  });

  it('names the line that differs and the command that regenerates the file', () => {
    expect(firstDifference('a\nb\n', 'a\nb\n')).toBeUndefined();
    expect(firstDifference('a\nb\n', 'a\nc\n')).toBe('line 2: expected "b", found "c"');
    expect(REGENERATE).toBe('npx tsx scripts/config-reference.ts --write');
  });
});
