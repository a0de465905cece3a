/** Text rules shared by the OTLP/JSON encoders (metrics and logs). */

/** Whether a string needs JSON escaping (control characters, quote, backslash). */
export function needsEscape(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}

/**
 * Exact decimal digits of an integer double. Past 2^53, `String()` prints the shortest form
 * that reads back as the same double, which an int64 parser would take as another number.
 */
export function integerDigits(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
}
