/** The SDK's HTTP and TCP check options. */
import { CHECK_DEFAULTS, MIN_INTERVAL_MS } from '../../../sdk/src/checks/check-options';
import { code, fieldTable } from '../markdown';
import type { ReferenceSources } from '../sources';
import { fieldsOf, parse } from '../tsdoc';

/** The `monitorCheck(name, options)` section. */
export function checksSection(sources: ReferenceSources): string[] {
  const file = parse(sources, 'sdk/src/checks/types.ts');
  const known = Object.keys(CHECK_DEFAULTS).map(code).join(', ');
  return [
    '## SDK: `monitorCheck(name, options)`',
    '',
    `From \`sdk/src/checks/types.ts\`. \`intervalMs\` must be at least ${MIN_INTERVAL_MS} ms; the defaults (${known}) are applied once, by \`resolveCheck()\`.`,
    '',
    '### HTTP checks',
    '',
    ...fieldTable(fieldsOf(file, 'HttpCheckOptions')),
    '### TCP checks',
    '',
    ...fieldTable(fieldsOf(file, 'TcpCheckOptions')),
  ];
}
