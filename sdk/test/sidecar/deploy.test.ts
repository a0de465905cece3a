/**
 * The sidecar's deployment files, checked statically (no Docker engine or systemd runs here):
 * the Dockerfile, its ignore file, the systemd unit and the bare-metal install script.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerInstructions, manifestsMissingBeforeInstalls } from '../../../testing/dockerfile';
import { BIN } from './support';

const REPO = join(__dirname, '..', '..', '..');
const DEPLOY = join(REPO, 'deploy', 'quasar-agent');
const read = (path: string) => readFileSync(path, 'utf8');
const onPath = (command: string) =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

describe('deploy/quasar-agent/Dockerfile', () => {
  const steps = dockerInstructions(read(join(DEPLOY, 'Dockerfile')));
  const stages = steps.filter((s) => s.op === 'FROM');
  const finalStage = steps.slice(steps.map((s) => s.op).lastIndexOf('FROM'));
  const copies = steps.filter((s) => s.op === 'COPY' && !s.args.startsWith('--from='));

  it('is multi-stage on node:20-bookworm-slim, building in one stage and running in another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(steps.find((s) => s.op === 'ARG')?.args).toBe('NODE_IMAGE=node:20-bookworm-slim');
    expect(steps.some((s) => s.op === 'RUN' && /npm ci\b/.test(s.args))).toBe(true);
    expect(steps.some((s) => s.op === 'RUN' && /npm run build --workspace sdk/.test(s.args))).toBe(
      true,
    );
    expect(finalStage.filter((s) => s.op === 'RUN')).toEqual([]);
    expect(
      finalStage.filter((s) => s.op === 'COPY').every((s) => s.args.startsWith('--from=')),
    ).toBe(true);
  });

  it("copies every workspace's package.json before each npm ci, as the lock requires", () => {
    const root = JSON.parse(read(join(REPO, 'package.json'))) as { workspaces: string[] };
    const installs = manifestsMissingBeforeInstalls(steps, root.workspaces);
    expect(installs.length).toBeGreaterThan(0);
    for (const { install, missing } of installs)
      expect({ install, missing }).toEqual({ install, missing: [] });
  });

  it('runs the built bin as a non-root user, and is labelled gravito/quasar-agent', () => {
    const users = finalStage.filter((s) => s.op === 'USER').map((s) => s.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
    expect(finalStage.find((s) => s.op === 'ENTRYPOINT')?.args).toBe(
      '["node", "/app/sdk/dist/bin/quasar-agent.js"]',
    );
    expect(existsSync(join(REPO, 'sdk', 'src', 'bin', 'quasar-agent.ts'))).toBe(true);
    expect(finalStage.find((s) => s.op === 'LABEL')?.args).toContain(
      'org.opencontainers.image.ref.name="gravito/quasar-agent"',
    );
  });

  it('copies only files that exist in the repository, all let through by its ignore file', () => {
    const kept = read(join(DEPLOY, 'Dockerfile.dockerignore'))
      .split('\n')
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1));
    const sources = copies.flatMap((s) => s.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect({ source, exists: existsSync(join(REPO, source)) }).toEqual({ source, exists: true });
      expect({ source, kept: kept.includes(source) }).toEqual({ source, kept: true });
    }
  });
});

describe('deploy/quasar-agent/quasar-agent.service', () => {
  const unit = read(join(DEPLOY, 'quasar-agent.service'));
  const service = unit.slice(unit.indexOf('[Service]'), unit.indexOf('[Install]'));
  const directive = (name: string) =>
    service
      .split('\n')
      .filter((line) => line.startsWith(`${name}=`))
      .map((line) => line.slice(name.length + 1));

  it('starts the agent from the env file and restarts it on failure, not on a bad setting', () => {
    expect(directive('ExecStart')).toHaveLength(1);
    expect(directive('EnvironmentFile')).toEqual(['/etc/quasar-agent.env']);
    expect(directive('Restart')).toEqual(['on-failure']);
    expect(directive('RestartPreventExitStatus')).toEqual(['2']);
    expect(unit).toMatch(/\[Install\]\nWantedBy=multi-user\.target/);
  });

  it('runs unprivileged and hardened, with every process visible in /proc', () => {
    expect([...directive('User'), ...directive('DynamicUser')]).not.toEqual([]);
    expect(directive('DynamicUser')).toEqual(['yes']);
    expect(directive('NoNewPrivileges')).toEqual(['yes']);
    expect(directive('ProtectSystem')).toEqual(['strict']);
    expect(directive('ProtectProc')).toEqual(['default']);
    expect(directive('ProcSubset')).toEqual(['all']);
    expect(directive('MemoryDenyWriteExecute')).toEqual([]);
  });

  (onPath('systemd-analyze') ? it : it.skip)('passes systemd-analyze verify', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quasar-unit-'));
    try {
      const env = join(dir, 'quasar-agent.env');
      writeFileSync(env, 'QUASAR_SERVICE=shop\n');
      const path = join(dir, 'quasar-agent.service');
      writeFileSync(
        path,
        unit
          .replace(/^ExecStart=.*$/m, `ExecStart=${process.execPath} ${BIN}`)
          .replace(/^EnvironmentFile=.*$/m, `EnvironmentFile=${env}`),
      );
      const result = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('scripts/install-agent.sh', () => {
  const script = join(REPO, 'scripts', 'install-agent.sh');

  it('is valid bash with strict mode on', () => {
    expect(spawnSync('bash', ['-n', script], { encoding: 'utf8' }).status).toBe(0);
    expect(read(script)).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(read(script)).toContain('\nset -euo pipefail\n');
  });

  it('prints the npm and systemctl steps under --dry-run, as a user without root, changing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quasar-install-'));
    chmodSync(dir, 0o777);
    const envFile = join(dir, 'etc', 'quasar-agent.env');
    const unitDir = join(dir, 'units');
    const args = [
      script,
      '--dry-run',
      '--version',
      '1.1.0',
      '--service',
      'shop',
      '--env-file',
      envFile,
      '--unit-dir',
      unitDir,
    ];
    // As root, drop to nobody to show that a dry run needs no privilege.
    const asRoot = process.getuid?.() === 0;
    const [command, argv] =
      asRoot && onPath('setpriv')
        ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'bash', ...args]]
        : ['bash', args];
    try {
      const result = spawnSync(command, argv, {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: dir, npm_config_cache: join(dir, 'npm-cache') },
      });
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      expect(result.stdout).toContain(
        'would run: npm install --global --no-audit --no-fund @gravito/quasar@1.1.0',
      );
      expect(result.stdout).toMatch(/would write .*units\/quasar-agent\.service/);
      expect(result.stdout).toMatch(
        /ExecStart=\S*node \S*\/@gravito\/quasar\/dist\/bin\/quasar-agent\.js/,
      );
      expect(result.stdout).toContain('QUASAR_SERVICE=shop');
      expect(result.stdout).toContain('would run: systemctl daemon-reload');
      expect(result.stdout).toContain('would run: systemctl enable --now quasar-agent');
      expect(existsSync(envFile)).toBe(false);
      expect(existsSync(unitDir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown option with status 2', () => {
    const result = spawnSync('bash', [script, '--dry-run', '--frobnicate'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('install-agent: unknown option --frobnicate (see --help)\n');
  });
});
