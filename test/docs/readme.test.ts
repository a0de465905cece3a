/**
 * The README is the front door: every shell command in it is either run as written in a fresh
 * copy of the repository (readme-fresh-clone.test.ts) or proven by a named CI step or test
 * (readme/coverage.ts). This is the quick, static half: a command that neither covers fails
 * here, so a new README command cannot land without its proof.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  documentedFlags,
  leadingAssignments,
  promisedReply,
  readmeCommands,
} from './readme/commands';
import { provenElsewhere, runKind } from './readme/coverage';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README commands', () => {
  const commands = readmeCommands(README);

  it('finds the commands of the quick start', () => {
    expect(commands.map((c) => c.text)).toEqual(
      expect.arrayContaining(['npm ci', 'npm run demo', 'npm test']),
    );
  });

  it.each(commands.map((c) => [c.text, c] as const))(
    '%s is run in the fresh clone, or proven by CI or a test',
    (_text, command) => {
      if (runKind(command.text) !== undefined) return;
      const rule = provenElsewhere(command);
      if (!rule) {
        throw new Error(`README.md:${command.line}: nothing runs or proves: ${command.text}`);
      }
      rule.proof(command.text, (part) => runKind(part) !== undefined);
    },
  );
});

describe('reading the README commands', () => {
  const markdown = [
    '# Title',
    '',
    '  ```sh',
    '  A=1 B=two \\',
    '    npx thing            # --help lists every flag; --once runs one cycle',
    '  curl http://x/y   # → 202 {"success":true,"id":"…"}',
    '  echo "#{not a comment}"',
    '  ```',
  ].join('\n');
  const [first, second, third] = readmeCommands(markdown);

  it('joins continuation lines and keeps the comment apart, with the line it starts on', () => {
    expect(first).toEqual({
      text: 'A=1 B=two npx thing',
      comment: '--help lists every flag; --once runs one cycle',
      block: 0,
      line: 4,
    });
    expect(third?.text).toBe('echo "#{not a comment}"');
  });

  it('reads the flags, the environment and the promised reply a command documents', () => {
    expect(documentedFlags(first!)).toEqual(['--help', '--once']);
    expect([...leadingAssignments(first!)]).toEqual([
      ['A', '1'],
      ['B', 'two'],
    ]);
    expect(promisedReply(second!)).toEqual({ status: 202, body: { success: true, id: '…' } });
  });
});
