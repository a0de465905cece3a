/**
 * The message part of an error fingerprint: a failure reason with the values that differ from
 * one job to the next replaced by placeholders, so `User 42 not found` and `User 97 not found`
 * read alike. Only the first line counts; the rest of a message is usually a dump.
 */

/** Characters of a reason looked at; a longer one is cut before normalising. */
export const MAX_MESSAGE_INPUT = 1_000;
/** Characters of a normalised message kept. */
export const MAX_MESSAGE_LENGTH = 200;

/**
 * The replacements, in order: each pattern's matches become its placeholder. Wider shapes go
 * first (a URL holds numbers, an email holds a host), numbers last.
 */
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // Quoted values: "…", '…', `…` (no line breaks inside; bounded length keeps it linear).
  [/"[^"\n]{0,200}"|'[^'\n]{0,200}'|`[^`\n]{0,200}`/g, '<str>'],
  [/\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s"'<>]{1,500}/gi, '<url>'],
  [/\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b/g, '<email>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, '<ip>'],
  [/\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}\b/gi, '<ip>'],
  [/\b0x[0-9a-f]{1,64}\b/gi, '<hex>'],
  // Long hex or base-36 ids with at least one digit: object ids, hashes, tokens.
  [/\b(?=[0-9a-z_-]{0,63}\d)(?=[0-9a-z_-]{0,63}[a-z])[0-9a-z_-]{16,64}\b/gi, '<id>'],
  [/\b(?=[0-9a-f]{0,63}\d)[0-9a-f]{8,64}\b/gi, '<id>'],
];

/**
 * Digits, with what leads them in the same word: `job123` → `job<n>`, but an upper-case code
 * stays whole (`HY000`, `E11000`, `ER1062`): it names the error, not the job.
 */
const NUMBER = /([A-Za-z_]{0,32})(\d+(?:[.,]\d+)*)/g;
const CODE = /^[A-Z]{1,8}$/;

/** The first line of `reason`, its variable values replaced, whitespace collapsed. */
export function normaliseMessage(reason: string): string {
  const newline = reason.indexOf('\n');
  let text = (newline === -1 ? reason : reason.slice(0, newline)).slice(0, MAX_MESSAGE_INPUT);
  for (const [pattern, placeholder] of RULES) text = text.replace(pattern, placeholder);
  text = text.replace(NUMBER, (whole: string, lead: string) =>
    CODE.test(lead) ? whole : `${lead}<n>`,
  );
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_MESSAGE_LENGTH);
}
