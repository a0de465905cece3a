/**
 * The workspaces' commands (`quasar-agent`, `quasar-collector`, `quasar-pulse-web`). npm links
 * a bin only if its file exists when it installs the package, which in a clone is before any
 * build: each bin is therefore a committed launcher that loads the built entry in dist/, so that
 * `npx quasar-collector` finds the local command instead of asking the registry for one.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexedFiles } from '../support/checkout';

const REPO = join(__dirname, '..', '..');

interface Manifest {
  name: string;
  private?: boolean;
  bin?: Record<string, string>;
  files?: string[];
}

/**
 * Every bin of every workspace, with the built entry its launcher loads and a run that shows
 * it: `--help`, or for pulse-web (no flags) a bad variable, exit status 2.
 */
const BINS: Array<{
  workspace: string;
  bin: string;
  entry: string;
  probe: { args: string[]; env: Record<string, string>; status: number };
}> = [
  {
    workspace: 'sdk',
    bin: 'quasar-agent',
    entry: 'dist/bin/quasar-agent.js',
    probe: { args: ['--help'], env: {}, status: 0 },
  },
  {
    workspace: 'collector',
    bin: 'quasar-collector',
    entry: 'dist/bin/quasar-collector.js',
    probe: { args: ['--help'], env: {}, status: 0 },
  },
  {
    workspace: 'pulse-web',
    bin: 'quasar-pulse-web',
    entry: 'dist/server/bin/quasar-pulse-web.js',
    probe: { args: [], env: { QUASAR_ROLE: 'Owner' }, status: 2 },
  },
];

function manifest(workspace: string): Manifest {
  return JSON.parse(readFileSync(join(REPO, workspace, 'package.json'), 'utf8')) as Manifest;
}

function run(script: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

describe('the workspaces’ bins', () => {
  const workspaces = (
    JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { workspaces: string[] }
  ).workspaces;

  it('are all listed here', () => {
    const declared = workspaces.flatMap((ws) =>
      Object.keys(manifest(ws).bin ?? {}).map((bin) => ({ workspace: ws, bin })),
    );
    expect(declared).toEqual(BINS.map(({ workspace, bin }) => ({ workspace, bin })));
  });

  describe.each(BINS)('$bin', ({ workspace, bin, entry, probe }) => {
    const launcher = manifest(workspace).bin?.[bin] ?? '';

    it('is a committed, executable file outside dist/, so npm links it before any build', () => {
      expect(launcher).toBe(`bin/${bin}.js`);
      expect(indexedFiles(REPO).get(`${workspace}/${launcher}`)).toBe('100755');
    });

    it('runs the built entry with its arguments and exit status', () => {
      const direct = run(join(REPO, workspace, entry), probe.args, probe.env);
      const launched = run(join(REPO, workspace, launcher), probe.args, probe.env);
      expect(direct.status).toBe(probe.status);
      expect({ status: launched.status, stdout: launched.stdout, stderr: launched.stderr }).toEqual(
        { status: direct.status, stdout: direct.stdout, stderr: direct.stderr },
      );
    });

    it('exits 1 without a build, saying how to make one', () => {
      const pkg = mkdtempSync(join(tmpdir(), 'quasar-unbuilt-'));
      try {
        mkdirSync(join(pkg, 'bin'));
        copyFileSync(join(REPO, workspace, launcher), join(pkg, launcher));
        const unbuilt = run(join(pkg, launcher), ['--help']);
        expect(unbuilt.status).toBe(1);
        expect(unbuilt.stdout).toBe('');
        expect(unbuilt.stderr).toBe(
          `${bin}: ${join(pkg, entry)} is not built yet: run \`npm run build\` at the repository root first.\n`,
        );
      } finally {
        rmSync(pkg, { recursive: true, force: true });
      }
    });

    if (!manifest(workspace).private) {
      it('is published with the build it loads', () => {
        const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--workspace', workspace], {
          cwd: REPO,
          encoding: 'utf8',
          timeout: 120_000,
        });
        expect(pack.status).toBe(0);
        const [packed] = JSON.parse(pack.stdout) as Array<{ files: Array<{ path: string }> }>;
        const files = (packed?.files ?? []).map((f) => f.path);
        expect(files).toEqual(expect.arrayContaining([launcher, entry]));
      });
    }
  });
});
