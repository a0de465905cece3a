/**
 * JSON as PHP's `json_encode` writes it, for payloads Laravel and Horizon read back: a job
 * pushed again must be byte for byte what PHP would have pushed, so it is patched as text
 * rather than decoded and re-encoded by JavaScript (or by Redis's `cjson`).
 */

/** `json_encode($string)` with PHP's default flags: `\/` and non-ASCII escaped. */
export function phpJsonString(value: string): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `str_replace(',', '.', microtime(true))`: PHP's 14 significant digits, zeros dropped. */
export function phpMicrotime(seconds: number): string {
  return String(Number(seconds.toPrecision(14)));
}

/** The index just past the JSON string opening at `i`. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j + 1;
  }
  return text.length;
}

/** The index just past the JSON value starting at `i` (in a text already known to parse). */
function valueEnd(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j] as string;
    if (c === '"') {
      j = stringEnd(text, j) - 1;
      if (depth === 0) return j + 1;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      if (depth === 0) return j;
      if (--depth === 0) return j + 1;
    } else if (depth === 0 && (c === ',' || /\s/.test(c))) {
      return j;
    }
  }
  return text.length;
}

/** Skips JSON whitespace. */
function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}

/**
 * `array_merge($decoded, $updates)` on the text of a JSON object that parses: a member already
 * there keeps its place and takes the new value, a new one is appended, in `updates` order.
 * Values are JSON texts. Every other member is kept byte for byte.
 */
export function patchTopLevel(
  json: string,
  updates: readonly (readonly [string, string])[],
): string | undefined {
  const members: [rawKey: string, key: string, value: string][] = [];
  let i = skipSpace(json, 0);
  if (json[i] !== '{') return undefined;
  i = skipSpace(json, i + 1);
  while (json[i] === '"') {
    const keyEnd = stringEnd(json, i);
    const rawKey = json.slice(i, keyEnd);
    const start = skipSpace(json, skipSpace(json, keyEnd) + 1);
    const end = valueEnd(json, start);
    members.push([rawKey, JSON.parse(rawKey) as string, json.slice(start, end)]);
    i = skipSpace(json, end);
    if (json[i] === ',') i = skipSpace(json, i + 1);
  }
  for (const [key, value] of updates) {
    const member = members.find(([, name]) => name === key);
    if (member) member[2] = value;
    else members.push([phpJsonString(key), key, value]);
  }
  return `{${members.map(([rawKey, , value]) => `${rawKey}:${value}`).join(',')}}`;
}

/**
 * The JSON text as PHP's `json_encode(json_decode($text, true))` writes it, for a text that
 * parses: whitespace between tokens dropped, an empty object `{}` written `[]` (decoded as an
 * array, PHP cannot tell them apart; Redis's `cjson` writes Laravel's `"tags":[]` as `{}` when
 * a worker pops a job), and in strings a bare `/` written `\/` and non-ASCII as `\uxxxx`.
 * Escapes already there are kept; numbers are kept as written.
 */
export function phpReencode(json: string): string {
  let out = '';
  for (let i = 0; i < json.length; i++) {
    const c = json[i] as string;
    if (c === '"') {
      const end = stringEnd(json, i);
      out += phpStringText(json.slice(i, end));
      i = end - 1;
    } else if (c === '{' && json[skipSpace(json, i + 1)] === '}') {
      out += '[]';
      i = skipSpace(json, i + 1);
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}

/** A JSON string's text with a bare `/` and non-ASCII escaped as PHP escapes them. */
function phpStringText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\') {
      out += c + (text[i + 1] ?? '');
      i++;
    } else if (c === '/') {
      out += '\\/';
    } else if (c.charCodeAt(0) > 0x7f) {
      out += `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    } else {
      out += c;
    }
  }
  return out;
}

/** PHP's truthiness of a decoded JSON value. */
export function phpTruthy(value: unknown): boolean {
  return !(
    value === null ||
    value === undefined ||
    value === false ||
    value === 0 ||
    value === '' ||
    value === '0' ||
    (Array.isArray(value) && value.length === 0)
  );
}
