/** The README's shell commands, as a reader types them, with what their comments promise. */

/** One command of a ```sh block. */
export interface ReadmeCommand {
  /** The command: continuation lines joined, the trailing comment dropped. */
  text: string;
  /** The trailing comment without its `#`, or ''. */
  comment: string;
  /** Which ```sh block of the README it is in, from 0. */
  block: number;
  /** The README line it starts on, from 1. */
  line: number;
}

/** A trailing ` # comment`; `#{` and `#!` are not comments. */
const COMMENT = /\s+#(?![{!])(.*)$/;

/** Every command of every ```sh block, in order. */
export function readmeCommands(markdown: string): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  let block = 0;
  for (const match of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const firstLine = markdown.slice(0, match.index).split('\n').length + 1;
    const lines = match[1]!.split('\n');
    let pending: { parts: string[]; comments: string[]; line: number } | undefined;
    lines.forEach((raw, i) => {
      const comment = COMMENT.exec(raw);
      const code = (comment ? raw.slice(0, comment.index) : raw).trim();
      pending ??= { parts: [], comments: [], line: firstLine + i };
      if (comment) pending.comments.push(comment[1]!.trim());
      if (code.endsWith('\\')) {
        pending.parts.push(code.slice(0, -1).trim());
        return;
      }
      pending.parts.push(code);
      const text = pending.parts.filter((p) => p !== '').join(' ');
      if (text !== '') {
        commands.push({ text, comment: pending.comments.join(' '), block, line: pending.line });
      }
      pending = undefined;
    });
    block += 1;
  }
  return commands;
}

/** The flags a command's comment names (`# --help lists…; --once runs…`), in order. */
export function documentedFlags(command: ReadmeCommand): string[] {
  return [...command.comment.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]);
}

/** The `NAME=value` assignments a command starts with, as its environment. */
export function leadingAssignments(command: ReadmeCommand): Map<string, string> {
  const found = new Map<string, string>();
  for (const word of command.text.split(/\s+/)) {
    const assignment = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(word);
    if (!assignment) break;
    found.set(assignment[1]!, assignment[2]!);
  }
  return found;
}

/** The variable an `export NAME=…` line sets. */
export function exportedName(command: ReadmeCommand): string | undefined {
  return /^export ([A-Z_][A-Z0-9_]*)=/.exec(command.text)?.[1];
}

/** What a `# → 202 {"success":true,…}` comment promises: the status and the JSON body. */
export function promisedReply(command: ReadmeCommand): { status: number; body: unknown } {
  const promise = /→\s*(\d{3})\s+(\{.*\})\s*$/.exec(command.comment);
  if (!promise) throw new Error(`line ${command.line}: no "→ <status> <json>" in its comment`);
  return { status: Number(promise[1]), body: JSON.parse(promise[2]!) as unknown };
}
