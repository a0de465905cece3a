/**
 * The command line: `--flag value`, `--flag=value`, switches (`--flag`, `--no-flag`) and the
 * repeatable `--queue`. Values stay strings here; `resolve-settings.ts` parses them.
 */
import { SidecarConfigError } from './errors';
import { SETTING_LIST } from './settings';
import type { SettingKey } from './settings';

/** The subcommands: `run` (the daemon, when none is given) and `acl`. */
export const SUBCOMMANDS = {
  acl: {
    usage: 'quasar-agent acl [options]',
    description:
      'Print ready-to-paste ACL SETUSER lines for the agent transport, agent monitor and collector Redis users, each with least privilege, for the service, queues and remote control configured by the settings below.',
  },
} as const;

/** What the command line asked for. */
export interface CommandLine {
  /** `run` unless the first argument names a subcommand. */
  command: 'run' | keyof typeof SUBCOMMANDS;
  help: boolean;
  version: boolean;
  /** Raw flag values: a string, or every value in order for a repeatable flag. */
  flags: Partial<Record<SettingKey, string | string[]>>;
}

/** The flags every command line understands besides the settings'. */
export const META_FLAGS = {
  help: { flag: '--help', alias: '-h', description: 'Print this help and exit.' },
  version: { flag: '--version', alias: '-V', description: 'Print the version and exit.' },
} as const;

const BY_FLAG = new Map(
  SETTING_LIST.filter((s) => s.flag !== undefined).map((s) => [s.flag as string, s]),
);

function usageError(message: string): SidecarConfigError {
  return new SidecarConfigError(undefined, `${message} (see --help)`);
}

/**
 * Splits `argv` (without the node and script paths) into the subcommand, settings and the
 * help and version requests.
 * @throws SidecarConfigError for an unknown flag, a missing value, a repeated flag that does
 * not repeat, or a positional argument.
 */
export function parseArgv(argv: readonly string[]): CommandLine {
  const line: CommandLine = { command: 'run', help: false, version: false, flags: {} };
  let first = 0;
  if (argv[0] !== undefined && Object.hasOwn(SUBCOMMANDS, argv[0])) {
    line.command = argv[0] as keyof typeof SUBCOMMANDS;
    first = 1;
  }
  for (let i = first; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === META_FLAGS.help.flag || arg === META_FLAGS.help.alias) {
      line.help = true;
      continue;
    }
    if (arg === META_FLAGS.version.flag || arg === META_FLAGS.version.alias) {
      line.version = true;
      continue;
    }
    if (!arg.startsWith('--')) throw usageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const negated = name.startsWith('--no-') ? BY_FLAG.get(`--${name.slice(5)}`) : undefined;
    const setting = BY_FLAG.get(name) ?? (negated?.switch ? negated : undefined);
    if (!setting) throw usageError(`unknown flag ${name}`);

    let value: string;
    if (setting === negated) {
      if (inline !== undefined) throw usageError(`${name} takes no value`);
      value = 'false';
    } else if (setting.switch) {
      value = inline ?? 'true';
    } else if (inline !== undefined) {
      value = inline;
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw usageError(`${name} needs a value`);
      value = next;
      i++;
    }

    const previous = line.flags[setting.key];
    if (setting.repeatable) {
      line.flags[setting.key] = [...((previous as string[] | undefined) ?? []), value];
    } else if (previous !== undefined) {
      throw usageError(`${setting.flag} is given twice`);
    } else {
      line.flags[setting.key] = value;
    }
  }
  return line;
}
