/**
 * A strict reader of the Prometheus text format (0.0.4), enough to prove that what
 * `/metrics` serves is well formed: every sample belongs to a family declared before it.
 */

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?\\})? (\\S+)$`);
const HELP = new RegExp(`^# HELP (${NAME}) (?:[^\\\\\\n]|\\\\[\\\\n])*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

function unescapeLabel(value: string): string {
  return value.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseValue(text: string, line: string): number {
  if (text === 'NaN') return NaN;
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  const value = Number(text);
  if (!/^-?\d/.test(text) || Number.isNaN(value))
    throw new Error(`bad value in ${JSON.stringify(line)}`);
  return value;
}

/** Parses the text, throwing on the first malformed line. */
export function parsePrometheus(text: string): ParsedSample[] {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const typed = new Set<string>();
  /** Families typed `histogram`: their samples are `_bucket`, `_sum` and `_count`. */
  const histograms = new Set<string>();
  const samples: ParsedSample[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    const type = TYPE.exec(line);
    if (type) {
      if (typed.has(type[1] as string)) throw new Error(`${type[1]} declared twice`);
      typed.add(type[1] as string);
      if (type[2] === 'histogram') histograms.add(type[1] as string);
      continue;
    }
    if (HELP.test(line)) continue;
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`malformed line ${JSON.stringify(line)}`);
    const name = sample[1] as string;
    const family = typed.has(name) ? name : name.replace(/_(?:bucket|sum|count)$/, '');
    if (!typed.has(family) || (family !== name && !histograms.has(family))) {
      throw new Error(`${name} has no # TYPE before it`);
    }
    const labels: Record<string, string> = {};
    for (const m of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[m[1] as string] = unescapeLabel(m[2] as string);
    }
    samples.push({ name, labels, value: parseValue(sample[3] as string, line) });
  }
  return samples;
}

/** The value of one sample, by name and (some of) its labels. */
export function sampleValue(
  samples: readonly ParsedSample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}
