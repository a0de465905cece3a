/**
 * The SDK's queue probe types: what each reads, the options it takes and the remote-control verbs
 * its executor answers, followed by each probe's own TSDoc.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { executorFor } from '../../../sdk/src/commands/executors/registry';
import { COMMAND_VERBS } from '../../../sdk/src/commands/executors/types';
import { code, codes, table } from '../markdown';
import { ROOT } from '../sources';
import type { ReferenceSources } from '../sources';
import { parse, statementDoc } from '../tsdoc';

/** Probe type → the TSDoc of the probe file that declares it. */
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

/** The `monitorQueue(name, type, options)` section. */
export function queuesSection(sources: ReferenceSources): string[] {
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
