/**
 * A fresh copy of the working tree, as a clone has it: the files git tracks, plus new files it
 * does not ignore (so uncommitted edits are what gets tested), in a temporary folder whose
 * parent holds nothing else, so that no sibling folder of the checkout can be reached.
 */
import {
  chmodSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkoutFiles } from '../../support/checkout';

export interface FreshCopy {
  /** The copy's root. */
  readonly dir: string;
  /** Deletes the copy and its parent folder (with an installed node_modules, a while). */
  remove(): Promise<void>;
}

/** Copies the checkout's files of `repo` to `<new temporary folder>/quasar`. */
export function freshCopy(repo: string): FreshCopy {
  const parent = mkdtempSync(join(tmpdir(), 'quasar-readme-'));
  const dir = join(parent, 'quasar');
  for (const path of checkoutFiles(repo)) {
    const from = join(repo, path);
    const stat = lstatSync(from, { throwIfNoEntry: false });
    // Deleted in the working tree but not yet in the index: a clone after the commit lacks it.
    if (!stat) continue;
    const to = join(dir, path);
    mkdirSync(dirname(to), { recursive: true });
    if (stat.isSymbolicLink()) {
      symlinkSync(readlinkSync(from), to);
    } else {
      copyFileSync(from, to);
      chmodSync(to, stat.mode);
    }
  }
  return { dir, remove: () => rm(parent, { recursive: true, force: true }) };
}
