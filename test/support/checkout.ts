/** The files of the checkout, as git lists them. */
import { spawnSync } from 'node:child_process';

/** One file git knows of: its path relative to the repository and its mode (`100755`). */
export interface CheckoutFile {
  path: string;
  mode: string;
}

function git(repo: string, args: string[]): string {
  const result = spawnSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`git ${args.join(' ')} failed in ${repo}: ${result.stderr}`);
  return result.stdout;
}

/** The files a clone of `repo` would have, plus the new files git does not ignore. */
export function checkoutFiles(repo: string): string[] {
  return git(repo, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'])
    .split('\0')
    .filter((path) => path !== '');
}

/** The files in git's index, with the mode a clone gives them. */
export function indexedFiles(repo: string): Map<string, string> {
  const entries = git(repo, ['ls-files', '-z', '--stage'])
    .split('\0')
    .filter((e) => e !== '');
  return new Map(
    entries.map((entry) => {
      const [meta = '', path = ''] = entry.split('\t');
      return [path, meta.split(' ')[0] ?? ''];
    }),
  );
}
