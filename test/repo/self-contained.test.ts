/**
 * Tests need only the repository and the documented system packages: no test or test helper
 * reaches a file outside the checkout (a sibling folder, a parent's fixtures), so any clone of
 * the repository alone, as a user's own CI makes, runs the whole suite.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { staticPaths } from './static-paths';
import type { PathUse } from './static-paths';
import { isTestCode, testCode } from './test-files';

const REPO = resolve(__dirname, '..', '..');

function outside(path: string): boolean {
  return path !== REPO && !path.startsWith(`${REPO}${sep}`);
}

/** A use as a line of a failure message. */
function described(use: PathUse): string {
  return `${relative(REPO, use.file)}:${use.line}: ${use.source} → ${use.path}`;
}

/** The uses outside the repository of `text`, as the file `path` (relative) of an in-memory tree. */
function outsideUses(path: string, text: string, tree: Record<string, string> = {}): string[] {
  const read = (file: string) =>
    tree[relative(REPO, file)] ?? (file === join(REPO, path) ? text : undefined);
  return staticPaths(join(REPO, path), text, read)
    .filter((use) => outside(use.path))
    .map((use) => relative(REPO, use.path));
}

describe('the test code', () => {
  const files = testCode(REPO);

  it('is found in every workspace, in testing/ and in this project', () => {
    const found = files.map((file) => relative(REPO, file));
    expect(found).toEqual(
      expect.arrayContaining([
        'sdk/test/schema/validate-heartbeat.test.ts',
        'sdk/jest.config.js',
        'collector/test/support/fixtures.ts',
        'grafana-plugin/src/dist.test.ts',
        'grafana-plugin/.config/jest.config.js',
        'pulse-web/test/bin.test.ts',
        'demo/test/demo.test.ts',
        'testing/redis-server.ts',
        'test/jest.config.js',
        'test/repo/self-contained.test.ts',
      ]),
    );
    expect(found.filter((file) => !isTestCode(file))).toEqual([]);
  });

  it('reaches no file outside the repository', () => {
    const uses = files.flatMap((file) => staticPaths(file, readFileSync(file, 'utf8')));
    expect(uses.length).toBeGreaterThan(100);
    expect(uses.filter((use) => outside(use.path)).map(described)).toEqual([]);
  });
});

describe('the check for paths outside the repository', () => {
  it('catches a fixture folder beside the checkout, as the schema test once compared with', () => {
    const text =
      "const fixtures = join(__dirname, '..', '..', '..', '..', 'sibling-checkout', 'fixtures', 'originals');";
    expect(outsideUses('sdk/test/schema/x.test.ts', text)).toEqual([
      join('..', 'sibling-checkout', 'fixtures', 'originals'),
    ]);
  });

  it('catches an import and a require that climb above the repository', () => {
    const text = "import { a } from '../../../x';\nconst b = require('../../../../y');";
    expect(outsideUses('sdk/test/x.test.ts', text)).toEqual([
      join('..', 'x'),
      join('..', '..', 'y'),
    ]);
    expect(outsideUses('sdk/test/a/x.test.ts', text)).toEqual([join('..', 'y')]);
  });

  it('follows constants, in the file and imported from a helper', () => {
    const local =
      "const REPO = join(__dirname, '..', '..');\nconst s = join(REPO, '..', 'sibling-checkout');";
    expect(outsideUses('sdk/test/x.test.ts', local)).toEqual([join('..', 'sibling-checkout')]);
    const tree = { 'sdk/test/support.ts': "export const ROOT = resolve(__dirname, '../..');" };
    const imported =
      "import { ROOT } from './support';\nconst s = join(ROOT, '..', 'sibling-checkout');";
    expect(outsideUses('sdk/test/x.test.ts', imported, tree)).toEqual([
      join('..', 'sibling-checkout'),
    ]);
  });

  it('catches a jest config whose <rootDir> path leaves the repository', () => {
    const text = "module.exports = { globalSetup: '<rootDir>/../../outside/setup.ts' };";
    expect(outsideUses('sdk/jest.config.js', text)).toEqual([join('..', 'outside', 'setup.ts')]);
  });

  it('leaves alone paths known only at run time, and paths inside the repository', () => {
    const text = [
      "const a = join(tmpdir(), '..', 'x');",
      "const b = join(process.env.HOME ?? '', '..');",
      "const c = join(__dirname, '..', 'fixtures', 'originals');",
      "import { d } from '../../testing/redis';",
    ].join('\n');
    expect(outsideUses('sdk/test/x.test.ts', text)).toEqual([]);
  });
});
