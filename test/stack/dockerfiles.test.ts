/**
 * The collector's and the demo's Dockerfiles, checked statically (no Docker engine runs here):
 * multi-stage, non-root, built with the commands CI runs, from a context holding only what is
 * copied. The sidecar's Dockerfile has the same checks in sdk/test/sidecar/deploy.test.ts.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, composeServices, readJson, readRepoFile, record, workspaces } from './support';
import { dockerInstructions, manifestsMissingBeforeInstalls } from '../../testing/dockerfile';

/** The flags CI passes to `npm ci` in .ci/run. */
function ciInstallFlags(): string[] {
  const line = readRepoFile('.ci/run')
    .split('\n')
    .find((l) => /^npm ci\b/.test(l.trim()));
  if (line === undefined) throw new Error('.ci/run runs no `npm ci`');
  return line.trim().split(/\s+/).slice(2);
}

/** Workspace folders by package name. */
function workspacesByName(): Map<string, string> {
  return new Map(
    workspaces().map((ws) => [String(record(readJson(`${ws}/package.json`), ws).name), ws]),
  );
}

/** The other workspaces `workspace`'s sources import, with the subpath each import names. */
function importsOf(workspace: string): Array<{ ws: string; subpath: string }> {
  const byName = workspacesByName();
  const found = new Map<string, { ws: string; subpath: string }>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(path)) {
        for (const [, spec = ''] of readFileSync(path, 'utf8').matchAll(/from '([^'.][^']*)'/g)) {
          const parts = spec.split('/');
          const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
          const ws = byName.get(name);
          const subpath = spec.slice(name.length);
          if (ws !== undefined && ws !== workspace) found.set(`${ws}${subpath}`, { ws, subpath });
        }
      }
    }
  };
  walk(join(REPO, workspace, 'src'));
  return [...found.values()];
}

/** What `npm run build --workspace ws` reads besides the installed packages. */
function buildInputs(ws: string): string[] {
  const scripts = record(record(readJson(`${ws}/package.json`), ws).scripts, 'scripts');
  const build = String(scripts.build);
  // A tsconfig is copied as a file; a script's folder as a whole, for the modules it loads.
  const files = [...build.matchAll(/(?:-p|node) (\S+)/g)].map(([, file = '']) =>
    file.includes('/') ? `${ws}/${file.slice(0, file.lastIndexOf('/'))}` : `${ws}/${file}`,
  );
  const sourceImports = importsOf(ws)
    .filter(({ subpath }) => subpath.startsWith('/src/'))
    .map(({ ws: other }) => `${other}/src`);
  return [...new Set([`${ws}/src`, ...files, ...sourceImports])];
}

const IMAGES = [
  { dockerfile: 'deploy/collector/Dockerfile', workspace: 'collector' },
  { dockerfile: 'deploy/demo/Dockerfile', workspace: 'demo' },
];

describe.each(IMAGES)('$dockerfile', ({ dockerfile, workspace }) => {
  const steps = dockerInstructions(readRepoFile(dockerfile));
  const finalStage = steps.slice(steps.map((s) => s.op).lastIndexOf('FROM'));
  const runs = steps.filter((s) => s.op === 'RUN').map((s) => s.args);
  const npmCommands = runs.flatMap((run) =>
    run
      .split('&&')
      .map((c) => c.trim())
      .filter((c) => c.startsWith('npm ')),
  );
  const builds = npmCommands
    .map((c) => /^npm run build --workspace (\S+)$/.exec(c)?.[1])
    .filter((ws): ws is string => ws !== undefined);

  it('is multi-stage on node:20-bookworm-slim, running in a stage that only copies', () => {
    expect(steps.filter((s) => s.op === 'FROM').length).toBeGreaterThanOrEqual(2);
    expect(steps[0]).toEqual({ op: 'ARG', args: 'NODE_IMAGE=node:20-bookworm-slim' });
    expect(
      steps.filter((s) => s.op === 'FROM').every((s) => s.args.startsWith('${NODE_IMAGE}')),
    ).toBe(true);
    expect(finalStage.filter((s) => s.op === 'RUN')).toEqual([]);
    const finalCopies = finalStage.filter((s) => s.op === 'COPY' || s.op === 'ADD');
    expect(finalCopies.length).toBeGreaterThan(0);
    for (const copy of finalCopies) expect(copy.args).toMatch(/^--from=[\w-]+ /);
  });

  it('runs as a non-root user', () => {
    const users = finalStage.filter((s) => s.op === 'USER').map((s) => s.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('installs and builds with the commands CI runs, and nothing else from npm', () => {
    const flags = ciInstallFlags();
    expect(flags).toEqual(['--no-audit', '--no-fund']);
    const rootBuild = record(record(readJson('package.json'), 'root').scripts, 'scripts').build;
    expect(rootBuild).toBe('npm run build --workspaces --if-present');
    expect(npmCommands.length).toBeGreaterThan(0);
    for (const command of npmCommands) {
      const ci = /^npm ci( |$)/.test(command);
      const build = /^npm run build --workspace \S+$/.test(command);
      const cleanCache = command === 'npm cache clean --force';
      expect({ command, known: ci || build || cleanCache }).toEqual({ command, known: true });
      if (ci)
        for (const flag of flags)
          expect({ command, flag: command.includes(` ${flag}`) }).toEqual({ command, flag: true });
    }
    for (const ws of builds) {
      expect(workspaces()).toContain(ws);
      const scripts = record(record(readJson(`${ws}/package.json`), ws).scripts, 'scripts');
      expect({ ws, build: typeof scripts.build }).toEqual({ ws, build: 'string' });
    }
  });

  it(`builds ${workspace} last, after every workspace its sources import by package`, () => {
    expect(builds[builds.length - 1]).toBe(workspace);
    expect(new Set(builds).size).toBe(builds.length);
    const before = builds.slice(0, -1);
    const imported = [
      ...new Set(
        importsOf(workspace)
          .filter((i) => i.subpath === '')
          .map((i) => i.ws),
      ),
    ];
    expect(imported).toContain('sdk');
    for (const ws of imported) {
      expect({ ws, builtBefore: before.includes(ws) }).toEqual({ ws, builtBefore: true });
    }
  });

  it('copies, before each build, the files that build reads', () => {
    const sources = (upTo: number) =>
      steps
        .slice(0, upTo)
        .filter((s) => s.op === 'COPY' && !s.args.startsWith('--from='))
        .flatMap((s) => {
          const args = s.args.split(/\s+/);
          const dest = args[args.length - 1] ?? '';
          // `COPY a/x a/y a/` copies files; `COPY a/src a/src` copies a folder.
          return args
            .slice(0, -1)
            .map((src) => (dest.endsWith('/') ? src : dest === src ? src : ''));
        });
    for (const ws of builds) {
      const at = steps.findIndex(
        (s) => s.op === 'RUN' && s.args === `npm run build --workspace ${ws}`,
      );
      const copied = sources(at);
      for (const input of buildInputs(ws)) {
        expect({ ws, input, copied: copied.includes(input) }).toEqual({ ws, input, copied: true });
      }
    }
  });

  it("copies every workspace's package.json before each npm ci, as the lock requires", () => {
    const installs = manifestsMissingBeforeInstalls(steps, workspaces());
    expect(installs.length).toBeGreaterThan(0);
    for (const { install, missing } of installs)
      expect({ install, missing }).toEqual({ install, missing: [] });
  });

  it('copies from a context of exactly its COPY sources, all present in the repository', () => {
    const ignore = readRepoFile(`${dockerfile}.dockerignore`)
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(ignore[0]).toBe('*');
    const kept = ignore.slice(1).map((line) => line.replace(/^!/, ''));
    expect(ignore.slice(1).every((line) => line.startsWith('!'))).toBe(true);
    const sources = steps
      .filter((s) => s.op === 'COPY' && !s.args.startsWith('--from='))
      .flatMap((s) => s.args.split(/\s+/).slice(0, -1));
    for (const source of sources) {
      expect({ source, exists: existsSync(join(REPO, source)) }).toEqual({ source, exists: true });
    }
    expect([...new Set(sources)].sort()).toEqual([...new Set(kept)].sort());
  });

  it('starts a script that its sources compile to, from the compose file too', () => {
    const start = finalStage.find((s) => s.op === 'ENTRYPOINT' || s.op === 'CMD');
    const argv = JSON.parse(start?.args ?? '[]') as string[];
    const commands = [...composeServices().values()]
      .filter((svc) => svc.build?.dockerfile === dockerfile)
      .map((svc) => svc.command);
    expect(commands.length).toBeGreaterThan(0);
    for (const command of [argv, ...commands.filter((c) => c.length > 0)]) {
      const script = (command[1] ?? '').replace(/^\/app\//, '');
      expect(command[0]).toBe('node');
      const source = script
        .replace(`${workspace}/dist/`, `${workspace}/src/`)
        .replace(/\.js$/, '.ts');
      expect({ script, source: existsSync(join(REPO, source)) }).toEqual({ script, source: true });
      expect(script.startsWith(`${workspace}/dist/`)).toBe(true);
    }
  });
});
