/**
 * Renders `docs/configuration.md` from the tables the code itself reads: the settings tables
 * behind `quasar-agent --help` and `quasar-collector --help`, the SDK's `ENV`, the probe and
 * executor tables, and the TSDoc of the option interfaces (read with the TypeScript parser, so a
 * field documented in the source is documented here). Nothing in the output is typed by hand
 * except the headings and the sentences that join the tables.
 *
 *   npx tsx scripts/config-reference.ts            print the reference
 *   npx tsx scripts/config-reference.ts --write    rewrite docs/configuration.md
 *   npx tsx scripts/config-reference.ts --check    exit 1 when docs/configuration.md differs
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import * as ts from 'typescript';
import { COLLECTOR_DEFAULTS } from '../collector/src/config/options';
import { SETTINGS as COLLECTOR_SETTINGS } from '../collector/src/config/settings';
import type { Setting as CollectorSetting } from '../collector/src/config/settings';
import { helpText as collectorHelpText } from '../collector/src/config/help';
import {
  ORG_ROLES,
  THEMES,
  resolveOptions as resolvePulseWeb,
} from '../pulse-web/src/server/options';
import { CHECK_DEFAULTS, MIN_INTERVAL_MS } from '../sdk/src/checks/check-options';
import { executorFor } from '../sdk/src/commands/executors/registry';
import { COMMAND_VERBS } from '../sdk/src/commands/executors/types';
import { REMOTE_CONTROL_DEFAULTS } from '../sdk/src/commands/listener/remote-control-options';
import { DEFAULTS, ENV } from '../sdk/src/options/defaults';
import { PROBE_TYPES } from '../sdk/src/queues/registry';
import type { ProbeType } from '../sdk/src/queues/types';
import { META_FLAGS, SUBCOMMANDS } from '../sdk/src/sidecar/parse-argv';
import { SETTING_LIST } from '../sdk/src/sidecar/settings';
import type { Setting as SidecarSetting } from '../sdk/src/sidecar/settings';

const ROOT = join(__dirname, '..');

/** Where the reference is written, relative to the repository root. */
export const DOC_PATH = 'docs/configuration.md';

/** The command that rewrites the reference; every staleness message names it. */
export const REGENERATE = 'npx tsx scripts/config-reference.ts --write';

/** The option each SDK environment variable sets. Keyed by `ENV`, so a new variable must be added. */
const ENV_OPTION: Record<keyof typeof ENV, string> = {
  service: 'service',
  name: 'name',
  transportUrl: 'transport.url',
  monitorUrl: 'monitor.url',
  intervalSeconds: 'interval (in seconds)',
  hostRoot: 'hostRoot',
  exportOtlp: 'otel.exportOtlp',
  slowLogEnabled: 'slowLog.enabled',
  slowRequestMs: 'slowLog.requestThresholdMs',
  slowJobMs: 'slowLog.jobThresholdMs',
  slowLogMaxLen: 'slowLog.maxLen',
};

/** Everything the reference is rendered from; tests swap one table to see the output follow. */
export interface ReferenceSources {
  sdkEnv: Readonly<Record<string, string | readonly string[]>>;
  sidecarSettings: readonly (SidecarSetting<unknown> & { key: string })[];
  collectorSettings: readonly CollectorSetting[];
  collectorDefaults: Readonly<Record<string, unknown>>;
  probeTypes: ReadonlyMap<string, ProbeType>;
  /** `path/to/file.ts` → its text, for the TSDoc read from it. */
  readSource(path: string): string;
}

/** The sources as the code defines them. */
export function codeSources(): ReferenceSources {
  return {
    sdkEnv: ENV,
    sidecarSettings: SETTING_LIST,
    collectorSettings: COLLECTOR_SETTINGS,
    collectorDefaults: COLLECTOR_DEFAULTS,
    probeTypes: PROBE_TYPES,
    readSource: (path) => readFileSync(join(ROOT, path), 'utf8'),
  };
}

// ---- Reading TSDoc -------------------------------------------------------------------------

interface Field {
  name: string;
  type: string;
  doc: string;
  default: string | undefined;
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
const unlink = (text: string): string => text.replace(/\{@link\s+([^}\s]+)\s*\}/g, '`$1`');

function parse(sources: ReferenceSources, path: string): ts.SourceFile {
  return ts.createSourceFile(path, sources.readSource(path), ts.ScriptTarget.ES2022, true);
}

function docOf(node: ts.Node): { doc: string; default: string | undefined } {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const last = docs[docs.length - 1];
  const tag = last?.tags?.find((t) => t.tagName.text === 'default');
  const text = (c: ts.JSDoc['comment']): string => unlink(ts.getTextOfJSDocComment(c) ?? '');
  return { doc: text(last?.comment), default: tag ? oneLine(text(tag.comment)) : undefined };
}

/** The fields of `name`, inherited ones first; fields typed by a plain options interface nest. */
function fieldsOf(file: ts.SourceFile, name: string, prefix = ''): Field[] {
  const interfaces = new Map(
    file.statements.filter(ts.isInterfaceDeclaration).map((i) => [i.name.text, i]),
  );
  const decl = interfaces.get(name);
  if (!decl) throw new Error(`${file.fileName}: no interface ${name}`);
  const inherited = (decl.heritageClauses ?? []).flatMap((h) =>
    h.types.flatMap((t) => fieldsOf(file, t.expression.getText(file), prefix)),
  );
  const own = decl.members.filter(ts.isPropertySignature).flatMap((m) => {
    const type = m.type?.getText(file) ?? 'unknown';
    const field = { name: prefix + m.name.getText(file), type, ...docOf(m) };
    const nested = interfaces.get(type);
    // Contracts (interfaces with methods) are types to implement, not options to set.
    return nested && !nested.members.some(ts.isMethodSignature)
      ? [field, ...fieldsOf(file, type, `${field.name}.`)]
      : [field];
  });
  return [...inherited, ...own];
}

/** The TSDoc of the statement declaring `name`, else the file's opening comment. */
function statementDoc(file: ts.SourceFile, name: string): string {
  const statement = file.statements.find(
    (s) =>
      ts.isVariableStatement(s) && s.declarationList.declarations[0]?.name.getText(file) === name,
  );
  const own = statement ? docOf(statement).doc : '';
  if (own) return own;
  const first = file.statements[0];
  const range = first && ts.getLeadingCommentRanges(file.text, first.getFullStart())?.[0];
  if (!range) return '';
  return file.text
    .slice(range.pos, range.end)
    .replace(/^\/\*\*\s*|\s*\*\/$/g, '')
    .replace(/^\s*\* ?/gm, '');
}

/** The object literal assigned to `const name` in a file, as string pairs. */
function objectLiteral(file: ts.SourceFile, name: string): [string, string][] {
  for (const s of file.statements.filter(ts.isVariableStatement)) {
    const d = s.declarationList.declarations[0];
    if (d?.name.getText(file) !== name || !d.initializer) continue;
    if (!ts.isObjectLiteralExpression(d.initializer)) break;
    return d.initializer.properties.filter(ts.isPropertyAssignment).map((p) => {
      if (!ts.isStringLiteral(p.initializer)) throw new Error(`${name}: not a string`);
      return [p.name.getText(file), p.initializer.text];
    });
  }
  throw new Error(`${file.fileName}: no object literal ${name}`);
}

// ---- Markdown ------------------------------------------------------------------------------

const cell = (text: string): string => oneLine(text).replace(/\|/g, '\\|') || '—';
const code = (text: string): string => (text ? `\`${text}\`` : '');
const codes = (names: readonly string[] | undefined): string => (names ?? []).map(code).join(', ');
/** A TSDoc `@default` that is a plain value is shown as code; a sentence stays prose. */
const literal = (text: string | undefined): string =>
  text && /^(true|false|-?[\d_]+|'[^']*'|\[.*\]|\{.*\})$/.test(text) ? code(text) : (text ?? '');

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
  ];
}

function fieldTable(fields: readonly Field[]): string[] {
  return table(
    ['Option', 'Type', 'Default', 'Description'],
    fields.map((f) => [code(f.name), code(f.type), literal(f.default), f.doc]),
  );
}

/** `2000` → `2s`: the collector's duration settings take the same units. */
function duration(ms: number): string {
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

// ---- Sections ------------------------------------------------------------------------------

function sdkSection(sources: ReferenceSources): string[] {
  const types = parse(sources, 'sdk/src/options/types.ts');
  const env = Object.entries(sources.sdkEnv).map(([key, names]) => [
    codes(typeof names === 'string' ? [names] : names),
    ENV_OPTION[key as keyof typeof ENV] ?? '(no option)',
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

function checksSection(sources: ReferenceSources): string[] {
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

function probeDocs(sources: ReferenceSources): Map<string, string> {
  const dir = 'sdk/src/queues/probes';
  const docs = new Map<string, string>();
  for (const name of readdirSync(join(ROOT, dir)).filter((n) => n.endsWith('.ts'))) {
    const file = parse(sources, `${dir}/${name}`);
    const match = /export const (\w+): ProbeType = \{\s*type: '([\w-]+)'/.exec(file.text);
    if (match) docs.set(match[2] as string, statementDoc(file, match[1] as string));
  }
  return docs;
}

function queuesSection(sources: ReferenceSources): string[] {
  const docs = probeDocs(sources);
  const rows = [...sources.probeTypes.values()].map((p) => [
    code(p.type),
    p.usesRedis ? 'the monitor Redis' : 'its own API',
    p.options.length > 0 ? codes(p.options) : 'none',
    COMMAND_VERBS.filter((verb) => executorFor(p.type, verb)).join(', ') || 'none',
  ]);
  const details = [...sources.probeTypes.values()].flatMap((p) => {
    const doc = docs.get(p.type);
    if (doc === undefined) throw new Error(`no TSDoc found for the ${p.type} probe`);
    return [`### \`${p.type}\``, '', doc.trim(), ''];
  });
  return [
    '## SDK: `monitorQueue(name, type, options)`',
    '',
    'From the probe table (`sdk/src/queues/registry.ts`) and the executor table (`sdk/src/commands/executors/registry.ts`). An option a type does not take is rejected by name.',
    '',
    ...table(['Type', 'Reads', 'Options', 'Remote-control verbs'], rows),
    ...details,
  ];
}

function remoteControlSection(sources: ReferenceSources): string[] {
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

function sidecarSection(sources: ReferenceSources): string[] {
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

function collectorSection(sources: ReferenceSources): string[] {
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
  const help = collectorHelpText().split('\n');
  const start = help.indexOf('Standard OpenTelemetry exporter variables:') + 1;
  const end = help.indexOf('', start);
  const otel = help.slice(start, end).map((line) => {
    const [, name = '', text = ''] = /^\s*(\S+)\s+(.*)$/.exec(line) ?? [];
    return [code(name), text];
  });
  return [
    '## Collector: `quasar-collector`',
    '',
    'From the settings table `SETTINGS` (`collector/src/config/settings.ts` and `command-settings.ts`), the one `quasar-collector --help` is generated from, with the defaults of `COLLECTOR_DEFAULTS` and the TSDoc of `CollectorConfig` (`collector/src/config/options.ts`). Precedence: the flag, then the first non-empty variable, then the default. Durations take `ms`, `s`, `m` or `h` (plain numbers are milliseconds).',
    '',
    ...table(['Flag', 'Environment', 'Default', 'Description'], rows),
    '### OpenTelemetry exporter variables',
    '',
    'As `quasar-collector --help` lists them:',
    '',
    ...table(['Variable', 'Meaning'], otel),
  ];
}

function pulseWebSection(sources: ReferenceSources): string[] {
  const bin = parse(sources, 'pulse-web/src/server/bin/quasar-pulse-web.ts');
  const options = new Map(
    fieldsOf(parse(sources, 'pulse-web/src/server/options.ts'), 'PulseWebOptions').map((f) => [
      f.name,
      f.doc,
    ]),
  );
  const defaults: Record<string, unknown> = {
    ...resolvePulseWeb({ collectorUrl: 'http://collector' }, ''),
    collectorUrl: undefined,
  };
  const allowed: Record<string, readonly string[]> = { role: ORG_ROLES, theme: THEMES };
  const rows = objectLiteral(bin, 'VARIABLES').map(([option, variable]) => {
    const value = defaults[option];
    return [
      code(variable),
      code(option),
      option === 'collectorUrl' ? 'required' : value ? code(String(value)) : 'none',
      [options.get(option) ?? '', allowed[option] ? `One of ${codes(allowed[option])}.` : '']
        .filter(Boolean)
        .join(' '),
    ];
  });
  return [
    '## Standalone Pulse page: `quasar-pulse-web`',
    '',
    'Configured by environment only: the variables from `VARIABLES` (`pulse-web/src/server/bin/quasar-pulse-web.ts`), described by `PulseWebOptions` and defaulted by `resolveOptions()` (`pulse-web/src/server/options.ts`). An invalid value exits with status 2, naming the variable.',
    '',
    ...table(['Variable', 'Option', 'Default', 'Description'], rows),
  ];
}

/** The whole reference, formatted as the repository's prettier formats Markdown. */
export async function renderConfigReference(
  sources: ReferenceSources = codeSources(),
): Promise<string> {
  const markdown = [
    '# Configuration reference',
    '',
    `<!-- Generated by scripts/config-reference.ts from the option tables. Do not edit: run \`${REGENERATE}\`. -->`,
    '',
    'Every option, flag and environment variable of the SDK, the `quasar-agent` sidecar, the collector and the standalone Pulse page, rendered from the definitions the code reads, so this page cannot drift from them. The guides ([sidecar](sidecar.md), [collector](collector.md), [queues](queues.md), [security](security.md)) explain when to use them.',
    '',
    ...sdkSection(sources),
    ...checksSection(sources),
    ...queuesSection(sources),
    ...remoteControlSection(sources),
    ...sidecarSection(sources),
    ...collectorSection(sources),
    ...pulseWebSection(sources),
  ].join('\n');
  const config = (await prettier.resolveConfig(join(ROOT, DOC_PATH))) ?? {};
  return prettier.format(markdown, { ...config, parser: 'markdown' });
}

/** Where `expected` and `actual` first differ, or undefined when they are equal. */
export function firstDifference(expected: string, actual: string): string | undefined {
  if (expected === actual) return undefined;
  const a = expected.split('\n');
  const b = actual.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: expected ${JSON.stringify(a[at] ?? '(end of file)')}, found ${JSON.stringify(b[at] ?? '(end of file)')}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const rendered = await renderConfigReference();
  const path = join(ROOT, DOC_PATH);
  if (argv.includes('--write')) {
    writeFileSync(path, rendered);
    return 0;
  }
  if (argv.includes('--check')) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const difference = firstDifference(rendered, current);
    if (!difference) return 0;
    process.stderr.write(`${DOC_PATH} is out of date (${difference}); run: ${REGENERATE}\n`);
    return 1;
  }
  process.stdout.write(rendered);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (status) => (process.exitCode = status),
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
