/**
 * Renders `docs/configuration.md` from the tables the code itself reads: the settings tables
 * behind `quasar-agent --help` and `quasar-collector --help`, the SDK's `ENV`, the probe and
 * executor tables, and the TSDoc of the option interfaces (read with the TypeScript parser, so a
 * field documented in the source is documented here). Nothing in the output is typed by hand
 * except the headings and the sentences that join the tables.
 *
 *   npx tsx scripts/config-reference.ts            print the reference
 *   npx tsx scripts/config-reference.ts --write    rewrite docs/configuration.md
 *   npx tsx scripts/config-reference.ts --check    exit 1 when docs/configuration.md differs
 *
 * This file is the command line only; the renderer lives in `config-reference/`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DOC_PATH,
  REGENERATE,
  firstDifference,
  renderConfigReference,
} from './config-reference/render';
import { ROOT } from './config-reference/sources';

export {
  DOC_PATH,
  REGENERATE,
  firstDifference,
  renderConfigReference,
} from './config-reference/render';
export { codeSources } from './config-reference/sources';
export type { ReferenceSources } from './config-reference/sources';

async function main(argv: readonly string[]): Promise<number> {
  const rendered = await renderConfigReference();
  const path = join(ROOT, DOC_PATH);
  if (argv.includes('--write')) {
    writeFileSync(path, rendered);
    return 0;
  }
  if (argv.includes('--check')) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const difference = firstDifference(rendered, current);
    if (!difference) return 0;
    process.stderr.write(`${DOC_PATH} is out of date (${difference}); run: ${REGENERATE}\n`);
    return 1;
  }
  process.stdout.write(rendered);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (status) => (process.exitCode = status),
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
