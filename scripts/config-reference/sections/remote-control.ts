/** The SDK's remote-control listener options. */
import { REMOTE_CONTROL_DEFAULTS } from '../../../sdk/src/commands/listener/remote-control-options';
import { code, fieldTable } from '../markdown';
import type { ReferenceSources } from '../sources';
import { fieldsOf, parse } from '../tsdoc';

/** The `enableRemoteControl(options)` section. */
export function remoteControlSection(sources: ReferenceSources): string[] {
  const file = parse(sources, 'sdk/src/commands/listener/remote-control-options.ts');
  const defaults = Object.entries(REMOTE_CONTROL_DEFAULTS).map(([k, v]) => `${k} = ${String(v)}`);
  return [
    '## SDK: `enableRemoteControl(options)`',
    '',
    `From \`RemoteControlOptions\` (\`sdk/src/commands/listener/remote-control-options.ts\`); defaults: ${defaults.map(code).join(', ')}.`,
    '',
    ...fieldTable(fieldsOf(file, 'RemoteControlOptions')),
  ];
}
