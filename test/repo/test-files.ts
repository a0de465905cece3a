/** Finding the repository's test code: test files, test folders, jest configs and setups. */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Folders never walked: installed packages, build output, version control. */
const SKIPPED = new Set(['node_modules', 'dist', 'coverage', '.git']);
const CODE = /\.(ts|tsx|js|mjs|cjs)$/;

/** True for a test, or code that only tests run, by its path relative to the repository. */
export function isTestCode(path: string): boolean {
  return (
    CODE.test(path) &&
    (/\.(test|spec)\.[a-z]+$/.test(path) ||
      /(^|\/)(test|tests|testing|__tests__)\//.test(path) ||
      /(^|\/)jest[.-][^/]*$/.test(path) ||
      /(^|\/)\.config\/jest\//.test(path))
  );
}

/** Every test file and test helper under `root`, as absolute paths. */
export function testCode(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) walk(path);
      } else if (entry.isFile() && isTestCode(relative(root, path))) {
        found.push(path);
      }
    }
  };
  walk(root);
  return found.sort();
}
