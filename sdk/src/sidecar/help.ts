/** The `--help` text, generated from the settings table so that it lists every setting. */
import { META_FLAGS, SUBCOMMANDS } from './parse-argv';
import { SETTING_LIST } from './settings';
import type { Setting } from './settings';

const WIDTH = 100;
const INDENT = '      ';

/** Wraps `text` to `WIDTH` columns, every line indented by `indent`. */
function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** The flag and its value, or the variables of a setting that has no flag. */
function heading(s: Setting<unknown>): string {
  if (!s.flag) return `${s.env?.join(', ') ?? ''} (no flag)`;
  if (s.switch) return `${s.flag}, --no-${s.flag.slice(2)}`;
  return `${s.flag} ${s.arg ?? '<value>'}`;
}

/** Where else the value can come from, and its default. */
function sources(s: Setting<unknown>): string {
  const parts: string[] = [];
  if (s.flag && s.env?.length) parts.push(`env ${s.env.join(', ')}`);
  if (s.configKey) parts.push(`config "${s.configKey}"`);
  if (s.required) parts.push('required');
  else parts.push(`default ${s.defaultText ?? String(s.default)}`);
  return parts.join('; ');
}

/** The full help text, ending with a newline. */
export function helpText(): string {
  const out = [
    'Usage: quasar-agent [options]',
    ...Object.values(SUBCOMMANDS).map((c) => `       ${c.usage}`),
    '',
    ...wrap(
      "Runs the Quasar agent beside an application that does not run on Node (Laravel, Go, Python): every interval it writes this host's heartbeat, the application's queue counts and its Laravel queue workers to the Quasar Redis, until SIGTERM or SIGINT, when it removes its heartbeat and exits 0.",
      '',
    ),
    '',
    ...wrap(
      'Each setting is taken from its flag, else its environment variable, else the config file, else its default. An invalid setting is reported on one line on stderr, with exit status 2.',
      '',
    ),
    '',
    'Commands:',
    ...Object.entries(SUBCOMMANDS).flatMap(([name, c]) => [
      `  ${name}`,
      ...wrap(c.description, INDENT),
    ]),
    '',
    'Settings:',
  ];
  for (const s of SETTING_LIST) {
    out.push(`  ${heading(s)}`, ...wrap(sources(s), INDENT), ...wrap(s.description, INDENT));
  }
  out.push('', 'Other flags:');
  for (const m of Object.values(META_FLAGS)) {
    out.push(`  ${m.alias}, ${m.flag}`, ...wrap(m.description, INDENT));
  }
  return `${out.join('\n')}\n`;
}
