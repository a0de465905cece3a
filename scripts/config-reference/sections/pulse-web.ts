/**
 * The standalone Pulse page: the environment variables of its bin, described by
 * `PulseWebOptions` and defaulted by `resolveOptions()`.
 */
import {
  ORG_ROLES,
  THEMES,
  resolveOptions as resolvePulseWeb,
} from '../../../pulse-web/src/server/options';
import { code, codes, table } from '../markdown';
import type { ReferenceSources } from '../sources';
import { fieldsOf, objectLiteral, parse } from '../tsdoc';

/** The `quasar-pulse-web` section. */
export function pulseWebSection(sources: ReferenceSources): string[] {
  const bin = parse(sources, 'pulse-web/src/server/bin/quasar-pulse-web.ts');
  const options = new Map(
    fieldsOf(parse(sources, 'pulse-web/src/server/options.ts'), 'PulseWebOptions').map((f) => [
      f.name,
      f,
    ]),
  );
  const defaults: Partial<Record<string, string | number | boolean | readonly string[]>> = {
    ...resolvePulseWeb({ collectorUrl: 'http://collector' }, ''),
    collectorUrl: undefined,
  };
  const allowed: Record<string, readonly string[]> = { role: ORG_ROLES, theme: THEMES };
  const rows = objectLiteral(bin, 'VARIABLES').map(([option, variable]) => {
    const value = defaults[option];
    const field = options.get(option);
    // A default derived at start (from the role, or random) is described by its `@default`.
    const fallback = field?.default ?? (value ? code(String(value)) : 'none');
    return [
      code(variable),
      code(option),
      option === 'collectorUrl' ? 'required' : fallback,
      [field?.doc ?? '', allowed[option] ? `One of ${codes(allowed[option])}.` : '']
        .filter(Boolean)
        .join(' '),
    ];
  });
  return [
    '## Standalone Pulse page: `quasar-pulse-web`',
    '',
    'Configured by environment only: the variables from `VARIABLES` (`pulse-web/src/server/bin/quasar-pulse-web.ts`), described by `PulseWebOptions` and defaulted by `resolveOptions()` (`pulse-web/src/server/options.ts`). An invalid value exits with status 2, naming the variable. `QUASAR_ALLOWED_HOSTS` is a comma list.',
    '',
    ...table(['Variable', 'Option', 'Default', 'Description'], rows),
  ];
}
