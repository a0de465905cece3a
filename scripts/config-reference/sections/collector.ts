/**
 * The `quasar-collector` settings, defaulted from `COLLECTOR_DEFAULTS` or the TSDoc of
 * `CollectorConfig`, and the OpenTelemetry variables its `--help` lists.
 */
import { helpText as collectorHelpText } from '../../../collector/src/config/help';
import { code, codes, duration, literal, table } from '../markdown';
import type { ReferenceSources } from '../sources';
import { fieldsOf, parse } from '../tsdoc';

/** The OpenTelemetry exporter variables, as rows read from `quasar-collector --help`. */
function otelRows(): string[][] {
  const help = collectorHelpText().split('\n');
  const start = help.indexOf('Standard OpenTelemetry exporter variables:') + 1;
  const end = help.indexOf('', start);
  return help.slice(start, end).map((line) => {
    const [, name = '', text = ''] = /^\s*(\S+)\s+(.*)$/.exec(line) ?? [];
    return [code(name), text];
  });
}

/** The `quasar-collector` section. */
export function collectorSection(sources: ReferenceSources): string[] {
  const docs = new Map(
    fieldsOf(parse(sources, 'collector/src/config/options.ts'), 'CollectorConfig').map((f) => [
      f.name,
      f.default,
    ]),
  );
  const rows = sources.collectorSettings.map((s) => {
    const value = sources.collectorDefaults[s.key];
    const fallback =
      typeof value === 'number' && s.placeholder === 'duration'
        ? code(duration(value))
        : value !== undefined
          ? code(String(value))
          : literal(docs.get(s.key)) || 'none';
    const flag = code(`--${s.flag}${s.placeholder ? ` <${s.placeholder}>` : ''}`);
    return [flag, codes(s.env), fallback, `${s.help}${s.secret ? '. Never printed.' : ''}`];
  });
  return [
    '## Collector: `quasar-collector`',
    '',
    'From the settings table `SETTINGS` (`collector/src/config/settings.ts`, `token-settings.ts` and `command-settings.ts`), the one `quasar-collector --help` is generated from, with the defaults of `COLLECTOR_DEFAULTS` and the TSDoc of `CollectorConfig` (`collector/src/config/options.ts`). Precedence: the flag, then the first non-empty variable, then the default. Durations take `ms`, `s`, `m`, `h` or `d` (plain numbers are milliseconds).',
    '',
    ...table(['Flag', 'Environment', 'Default', 'Description'], rows),
    '### OpenTelemetry exporter variables',
    '',
    'As `quasar-collector --help` lists them:',
    '',
    ...table(['Variable', 'Meaning'], otelRows()),
  ];
}
