/** Text rules and the string writer shared by the OTLP/JSON encoders (metrics and logs). */
import { ByteWriter } from './byte-writer';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

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

/** {@link ByteWriter} plus JSON strings, the base of both JSON encoders' writers. */
export class JsonByteWriter extends ByteWriter {
  /**
   * A quoted JSON string; non-ASCII text goes out as raw UTF-8, which JSON allows. Plain ASCII,
   * nearly every string of a request, is copied in one loop without a native call.
   */
  string(value: string): void {
    const n = value.length;
    this.ensure(n + 2);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c < 0x20 || c === QUOTE || c === BACKSLASH || c >= 0x80) {
        this.otherString(value);
        return;
      }
      buf[pos++] = c;
    }
    buf[pos++] = QUOTE;
    this.pos = pos;
  }

  /** A string that needs escaping or holds non-ASCII characters. */
  private otherString(value: string): void {
    if (needsEscape(value)) {
      this.utf8(JSON.stringify(value));
      return;
    }
    this.byte(QUOTE);
    this.utf8(value);
    this.byte(QUOTE);
  }
}
