/**
 * JSON text laid out for reading, without parsing it: a payload may be cut mid-value by the
 * agent's cap, nested thousands of levels deep, or not JSON at all, and a parse-then-stringify
 * would refuse the first, overflow the stack on the second and guess at the third. This walks
 * the characters once, so it costs O(length) whatever the text holds.
 */

/** Indentation stops growing past this depth, so a deep payload does not drift off-screen. */
export const MAX_INDENT_DEPTH = 24;
/** Laid-out text longer than this many times the input (plus `MIN_LIMIT`) is not worth it: the input is shown as is. */
const MAX_GROWTH = 4;
const INDENT = '  ';
/** Room any layout gets, whatever the input: 200 levels of honest nesting indent to about 20 KB. */
const MIN_LIMIT = 256 * 1024;

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';
}

/** The next character after `i` that is not JSON whitespace, or `''`. */
function nextSignificant(text: string, i: number): string {
  for (let j = i + 1; j < text.length; j++) {
    if (!isSpace(text[j])) {
      return text[j];
    }
  }
  return '';
}

/**
 * `text` indented two spaces a level when it starts as a JSON object or array; any other text,
 * and a layout that would grow past {@link MAX_GROWTH} times the input, is returned unchanged.
 */
export function prettyJson(text: string): string {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') {
    return text;
  }
  const limit = text.length * MAX_GROWTH + MIN_LIMIT;
  const out: string[] = [];
  let size = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  const push = (chunk: string) => {
    out.push(chunk);
    size += chunk.length;
  };
  const newline = () => push(`\n${INDENT.repeat(Math.min(Math.max(depth, 0), MAX_INDENT_DEPTH))}`);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      push(ch);
      if (escaped) {
        escaped = false;
      } else if (ch === '\\') {
        escaped = true;
      } else if (ch === '"') {
        inString = false;
      }
    } else if (ch === '"') {
      inString = true;
      push(ch);
    } else if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      if (nextSignificant(text, i) === close) {
        // An empty object or array stays on one line.
        push(`${ch}${close}`);
        i = text.indexOf(close, i + 1);
      } else {
        push(ch);
        depth++;
        newline();
      }
    } else if (ch === '}' || ch === ']') {
      depth--;
      newline();
      push(ch);
    } else if (ch === ',') {
      push(ch);
      newline();
    } else if (ch === ':') {
      push(': ');
    } else if (!isSpace(ch)) {
      push(ch);
    }
    if (size > limit) {
      return text;
    }
  }
  return out.join('');
}
