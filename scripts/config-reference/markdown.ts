/**
 * Markdown building blocks: escaped table cells, inline code and tables. Layout only; prettier
 * aligns the columns afterwards.
 */
import { oneLine } from './tsdoc';
import type { Field } from './tsdoc';

/** One table cell: folded to one line, pipes escaped, an em dash when empty. */
export const cell = (text: string): string => oneLine(text).replace(/\|/g, '\\|') || '—';

/** `text` as inline code; nothing when it is empty. */
export const code = (text: string): string => (text ? `\`${text}\`` : '');

/** Each name as inline code, comma-separated. */
export const codes = (names: readonly string[] | undefined): string =>
  (names ?? []).map(code).join(', ');

/** A TSDoc `@default` that is a plain value is shown as code; a sentence stays prose. */
export const literal = (text: string | undefined): string =>
  text && /^(true|false|-?[\d_]+|'[^']*'|\[.*\]|\{.*\})$/.test(text) ? code(text) : (text ?? '');

/** A Markdown table followed by a blank line, as lines. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
  ];
}

/** The table of an options interface's fields. */
export function fieldTable(fields: readonly Field[]): string[] {
  return table(
    ['Option', 'Type', 'Default', 'Description'],
    fields.map((f) => [code(f.name), code(f.type), literal(f.default), f.doc]),
  );
}

/** `2000` → `2s`, `2592000000` → `30d`: the collector's duration settings take the same units. */
export function duration(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
