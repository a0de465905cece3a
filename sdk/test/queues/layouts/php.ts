/**
 * PHP's encodings, byte for byte, so the Laravel and Horizon layouts hold exactly what a PHP
 * app writes: `json_encode` (with or without `JSON_UNESCAPED_UNICODE`), `serialize` of a job
 * object, and `microtime(true)` turned into a string.
 */

/** A value PHP's `serialize` writes in a job's properties. */
export type PhpValue = null | boolean | number | string | readonly PhpValue[];

/**
 * `json_encode($value, $flags)`. PHP escapes `/` as `\/` and, unless `JSON_UNESCAPED_UNICODE`
 * is given, every non-ASCII UTF-16 unit as `\uxxxx` (lower-case hex). U+2028 and U+2029 are
 * escaped either way (PHP ≥ 7.1 without `JSON_UNESCAPED_LINE_TERMINATORS`).
 */
export function phpJsonEncode(value: unknown, flags: { unescapedUnicode: boolean }): string {
  const escape = (unit: string) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
  // A `/` can only occur inside a JSON string, so every one of them is a string character.
  const json = JSON.stringify(value).replace(/\//g, '\\/');
  return flags.unescapedUnicode
    ? json.replace(/[\u2028\u2029]/g, escape)
    : json.replace(/[\u0080-\uffff]/g, escape);
}

/** One value in PHP's `serialize` format. String lengths are UTF-8 byte counts. */
function serializeValue(value: PhpValue): string {
  if (value === null) return 'N;';
  if (typeof value === 'boolean') return `b:${value ? 1 : 0};`;
  if (typeof value === 'number') return Number.isInteger(value) ? `i:${value};` : `d:${value};`;
  if (typeof value === 'string') return `s:${Buffer.byteLength(value)}:"${value}";`;
  const items = value.map((item, i) => `i:${i};${serializeValue(item)}`).join('');
  return `a:${value.length}:{${items}}`;
}

/**
 * `serialize(clone $job)` of a job object with the given public properties, in declaration
 * order, e.g. `O:20:"App\Jobs\SendInvoice":2:{s:9:"invoiceId";i:42;...}`.
 */
export function phpSerializeObject(
  className: string,
  properties: readonly (readonly [string, PhpValue])[],
): string {
  const body = properties.map(([name, value]) => serializeValue(name) + serializeValue(value));
  return `O:${Buffer.byteLength(className)}:"${className}":${properties.length}:{${body.join('')}}`;
}

/**
 * `str_replace(',', '.', microtime(true))`: a float turned into a string with PHP's default
 * `precision` of 14 significant digits, trailing zeros dropped (`1732838400.1235`).
 */
export function phpMicrotime(seconds: number): string {
  return String(Number(seconds.toPrecision(14)));
}

/** `Str::random(32)`: Laravel's job id on the plain `redis` driver. */
export function strRandom(length = 32): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}
