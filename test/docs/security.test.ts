/**
 * docs/security.md names, for each hostile-input threat, the test that shows its defence: every
 * file it names exists, and every test name it quotes is a test of that file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const doc = readFileSync(join(REPO, 'docs', 'security.md'), 'utf8');

/** The rows of the table under the heading `title`, as [threat, test cell]. */
function threatRows(title = 'Hostile input and floods'): Array<[string, string]> {
  const section = doc.split(`## ${title}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !/^\| (Threat|-)/.test(line))
    .map((line) => {
      const cells = line.split(' | ').map((c) => c.replace(/^\|\s*|\s*\|?$/g, '').trim());
      return [cells[0] ?? '', cells[2] ?? ''];
    });
}

/** Each `file`: "name", "name" pair in a test cell; a bare `file` names the whole file. */
function citations(cell: string): Array<{ file: string; names: string[] }> {
  return cell.split(/;\s*/).map((part) => {
    const file = /`([^`]+\.test\.tsx?)`/.exec(part)?.[1] ?? '';
    const names = [...part.matchAll(/"([^"]+)"/g)].map((m) => m[1]!.replace(/`/g, ''));
    return { file, names };
  });
}

/**
 * Whether `name` is one of the test titles in `source`: a literal title, or an `it.each`
 * template whose every substituted value is itself a literal of the file.
 */
function hasTest(source: string, name: string): boolean {
  if (source.includes(`'${name}'`) || source.includes(`"${name}"`)) return true;
  const templates = [...source.matchAll(/\)\(\s*'([^']*%[sdj#][^']*)'/g)].map((m) => m[1]!);
  return templates.some((t) => {
    const pattern = t
      .split(/%[sdj#]/)
      .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('(.+)');
    const values = new RegExp(`^${pattern}$`).exec(name)?.slice(1);
    return values !== undefined && values.every((v) => source.includes(`'${v}'`));
  });
}

describe('docs/security.md', () => {
  const rows = threatRows();

  it('lists the hostile-input threats', () => {
    expect(rows.map(([threat]) => threat)).toEqual([
      expect.stringContaining('flood of commands'),
      expect.stringContaining('Erasing the audit'),
      expect.stringContaining('audit too long'),
      expect.stringContaining('--no-auth'),
      expect.stringContaining('slow-log entries with a distinct name'),
      expect.stringContaining('Query values'),
      expect.stringContaining('Oversized command bodies'),
      expect.stringContaining('prototype'),
      expect.stringContaining('beyond what it is for'),
      expect.stringContaining('Hostile `Authorization` headers'),
    ]);
  });

  it("lists the hostile agents' threats, from the prototype names to replays", () => {
    const threats = threatRows('Hostile agents').map(([threat]) => threat);
    expect(threats).toHaveLength(12);
    expect(threats[0]).toContain('Object.prototype');
    expect(threats[11]).toContain('replay');
  });

  it.each([...rows, ...threatRows('Hostile agents')])(
    'names an existing test for "%s"',
    (_threat, cell) => {
      const cited = citations(cell);
      expect(cited.length).toBeGreaterThan(0);
      for (const { file, names } of cited) {
        expect([file, existsSync(join(REPO, file))]).toEqual([file, true]);
        const source = readFileSync(join(REPO, file), 'utf8');
        for (const name of names)
          expect([file, name, hasTest(source, name)]).toEqual([file, name, true]);
      }
    },
  );
});
