/**
 * The SDK's queue probe types: what each reads, the options it takes and the remote-control verbs
 * its executor answers, followed by each probe's own TSDoc.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { executorFor } from '../../../sdk/src/commands/executor-registry';
import { COMMAND_VERBS } from '../../../sdk/src/schema/command';
import { code, codes, table } from '../markdown';
import { ROOT } from '../sources';
import type { ReferenceSources } from '../sources';
import { parse, statementDoc } from '../tsdoc';

/** Probe type → the TSDoc of the probe file (`drivers/<system>/probe.ts`) that declares it. */
function probeDocs(sources: ReferenceSources): Map<string, string> {
  const dir = 'sdk/src/queues/drivers';
  const docs = new Map<string, string>();
  for (const system of readdirSync(join(ROOT, dir))) {
    const path = `${dir}/${system}/probe.ts`;
    if (!existsSync(join(ROOT, path))) continue;
    const file = parse(sources, path);
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
    "From the driver table (`sdk/src/queues/drivers/table.ts`): each type's probe and its executors live in `sdk/src/queues/drivers/<type>/`. An option a type does not take is rejected by name.",
    '',
    ...table(['Type', 'Reads', 'Options', 'Remote-control verbs'], rows),
    ...details,
  ];
}
