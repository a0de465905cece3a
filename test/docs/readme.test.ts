/**
 * The README is the front door: every shell command in it must be run by CI (`.ci/run`) or by a
 * test. Each command is matched to a rule saying where; a command no rule covers fails here, so
 * a new README command cannot land without its proof.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(REPO, path), 'utf8');
const CI = read('.ci/run');
const ROOT = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  workspaces: string[];
};

/** Every command of every ```sh block: continuation lines joined, comments dropped. */
export function readmeCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.replace(/\s+#(?![{!]).*$/, '').trim())
      .filter((line) => line !== ''),
  );
}

/** Asserts that `file` exists and contains every one of `needles`. */
function testedIn(file: string, ...needles: string[]): void {
  expect(existsSync(join(REPO, file))).toBe(true);
  const text = read(file);
  for (const needle of needles)
    expect([file, needle, text.includes(needle)]).toEqual([file, needle, true]);
}

/** The apt packages `.ci/run` installs. */
const ciPackages = new Set(
  [...CI.matchAll(/need_apt\+=\(([^)]*)\)/g)].flatMap((m) => m[1]!.split(/\s+/)),
);

const RULES: Array<{ pattern: RegExp; proof: (command: string) => void }> = [
  {
    // Debian packages: each one is installed by .ci/run (Go is preinstalled there, and checked).
    pattern: /^sudo apt-get install -y (.+)$/,
    proof: (command) => {
      for (const pkg of /^sudo apt-get install -y (.+)$/.exec(command)![1]!.split(/\s+/)) {
        if (pkg === 'golang-go') expect(CI).toContain('command -v go');
        else expect([pkg, ciPackages.has(pkg)]).toEqual([pkg, true]);
      }
    },
  },
  {
    pattern: /^export QUASAR_ELASTICMQ_LIB=\$\(bash testing\/elasticmq\/fetch\.sh\)$/,
    proof: () => expect(CI).toContain('bash testing/elasticmq/fetch.sh'),
  },
  {
    pattern: /^bash testing\/otelcol\/build\.sh$/,
    proof: () => expect(CI).toContain('bash testing/otelcol/build.sh'),
  },
  { pattern: /^npm ci$/, proof: () => expect(CI).toMatch(/^npm ci\b/m) },
  {
    pattern: /^npm (test|run (build|lint|typecheck))$/,
    proof: (command) => expect(CI).toMatch(new RegExp(`^${command}$`, 'm')),
  },
  {
    pattern: /^bash \.ci\/run$/,
    proof: () => expect(existsSync(join(REPO, '.ci/run'))).toBe(true),
  },
  {
    // The demo test runs the same built entry point the script starts, after CI's build.
    pattern: /^npm run demo$/,
    proof: () => {
      expect(ROOT.scripts.demo).toMatch(/&& node demo\/dist\/run\/main\.js$/);
      testedIn('demo/test/demo.test.ts', "join(__dirname, '..', 'dist', 'run', 'main.js')");
    },
  },
  {
    pattern: /^(npm ci && )?npm run build --workspace (\S+)$/,
    proof: (command) => {
      const workspace = /--workspace (\S+)$/.exec(command)![1]!;
      expect(ROOT.workspaces).toContain(workspace);
      expect(CI).toMatch(/^npm run build$/m);
    },
  },
  {
    pattern: /^QUASAR_SERVICE=.* npx quasar-agent$/,
    proof: () => testedIn('sdk/test/sidecar/bin.test.ts', 'QUASAR_SERVICE', 'QUASAR_QUEUES'),
  },
  {
    pattern: /^curl -X POST .*\/api\/pulse\/command$/,
    proof: () => testedIn('collector/test/api/commands.test.ts', "'/api/pulse/command'", 'jobId'),
  },
  {
    pattern: /^export (REDIS_URL|QUASAR_API_TOKEN|OTEL_EXPORTER_OTLP_ENDPOINT)=/,
    proof: () => testedIn('collector/test/cli/bin.test.ts', 'REDIS_URL'),
  },
  {
    pattern: /^npx quasar-collector$/,
    proof: () => testedIn('collector/test/cli/bin.test.ts', 'quasar-collector'),
  },
  {
    pattern: /^QUASAR_COLLECTOR_URL=.* node pulse-web\/dist\/server\/bin\/quasar-pulse-web\.js$/,
    proof: () =>
      testedIn(
        'pulse-web/test/bin.test.ts',
        "'dist', 'server', 'bin', 'quasar-pulse-web.js'",
        'QUASAR_COLLECTOR_URL',
        'QUASAR_ROLE',
      ),
  },
  {
    // No Docker engine in CI: the stack and its .env secrets are proven statically.
    pattern: /^(printf 'QUASAR_API_TOKEN=.*> \.env|docker compose up --build)$/,
    proof: () => testedIn('test/stack/compose.test.ts', 'docker-compose.yml'),
  },
];

describe('README commands', () => {
  const commands = readmeCommands(read('README.md'));

  it('finds the commands of the quick start', () => {
    expect(commands).toEqual(expect.arrayContaining(['npm ci', 'npm run demo', 'npm test']));
  });

  it.each(commands)('%s is run by CI or a test', (command) => {
    const rule = RULES.find((r) => r.pattern.test(command));
    if (!rule) throw new Error(`no CI step or test covers this README command: ${command}`);
    rule.proof(command);
  });
});
