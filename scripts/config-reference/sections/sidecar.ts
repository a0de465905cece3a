/** The `quasar-agent` sidecar: its settings table, subcommands and meta flags. */
import { META_FLAGS, SUBCOMMANDS } from '../../../sdk/src/sidecar/parse-argv';
import type { Setting as SidecarSetting } from '../../../sdk/src/sidecar/settings';
import { code, codes, table } from '../markdown';
import type { ReferenceSources } from '../sources';

/** The `quasar-agent` section. */
export function sidecarSection(sources: ReferenceSources): string[] {
  const flag = (s: SidecarSetting<unknown>): string =>
    !s.flag
      ? ''
      : s.switch
        ? `${code(s.flag)}, ${code(`--no-${s.flag.slice(2)}`)}`
        : code(`${s.flag} ${s.arg ?? '<value>'}`);
  const fallback = (s: SidecarSetting<unknown>): string =>
    s.required ? 'required' : (s.defaultText ?? code(String(s.default)));
  const rows = sources.sidecarSettings.map((s) => [
    flag(s),
    codes(s.env),
    code(s.configKey ?? ''),
    fallback(s),
    s.description,
  ]);
  const commands = Object.entries(SUBCOMMANDS).map(([name, c]) => [code(name), c.description]);
  const meta = Object.values(META_FLAGS).map((m) => [
    `${code(m.alias)}, ${code(m.flag)}`,
    m.description,
  ]);
  return [
    '## Sidecar: `quasar-agent`',
    '',
    'From the settings table `SETTINGS` (`sdk/src/sidecar/settings.ts`), the one `quasar-agent --help` is generated from. Each setting is taken from its flag, else its environment variable, else the config file (`--config`), else its default; an invalid one is reported on one line on stderr, with exit status 2.',
    '',
    ...table(['Flag', 'Environment', 'Config key', 'Default', 'Description'], rows),
    '### Subcommands and other flags',
    '',
    ...table(['Command or flag', 'Description'], [...commands, ...meta]),
  ];
}
