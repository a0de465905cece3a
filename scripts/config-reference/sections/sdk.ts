/** The SDK's `QuasarOptions` and the environment variables that set them. */
import { DEFAULTS } from '../../../sdk/src/options/defaults';
import { codes, fieldTable, table } from '../markdown';
import { ENV_OPTION } from '../sources';
import type { ReferenceSources } from '../sources';
import { fieldsOf, parse } from '../tsdoc';

/** The `new QuasarAgent(options)` section. */
export function sdkSection(sources: ReferenceSources): string[] {
  const types = parse(sources, 'sdk/src/options/types.ts');
  const env = Object.entries(sources.sdkEnv).map(([key, names]) => [
    codes(typeof names === 'string' ? [names] : names),
    ENV_OPTION[key as keyof typeof ENV_OPTION] ?? '(no option)',
  ]);
  return [
    '## SDK: `new QuasarAgent(options)`',
    '',
    'From the TSDoc of `QuasarOptions` (`sdk/src/options/types.ts`). Precedence: the option, then its environment variable, then the default; every value is validated once, and an invalid one throws `QuasarConfigError` naming the option (and the variable it came from).',
    `\`interval\` must be at least ${DEFAULTS.minIntervalMs} ms.`,
    '',
    ...fieldTable(fieldsOf(types, 'QuasarOptions')),
    '### Environment variables',
    '',
    'From `ENV` (`sdk/src/options/defaults.ts`); where a row lists several, the first non-empty one wins.',
    '',
    ...table(['Variable', 'Sets'], env),
  ];
}
