/**
 * Where each README command is proven. Most are run as written in a fresh copy of the
 * repository (`readme-fresh-clone.test.ts`); the rest cannot run there (they install system
 * packages, start Docker, or are CI itself) and name the CI step or the test that covers them.
 * A command that matches neither list fails both README tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadmeCommand } from './commands';

const REPO = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(REPO, path), 'utf8');

/** The README commands the fresh-clone test runs as written, by what they do. */
export const RUN_IN_CLONE = {
  install: /^npm ci$/,
  demo: /^npm run demo$/,
  elasticMq: /^export QUASAR_ELASTICMQ_LIB=\$\(bash testing\/elasticmq\/fetch\.sh\)$/,
  otelcol: /^bash testing\/otelcol\/build\.sh$/,
  sidecar: /^([A-Z_]+=\S* )+npx quasar-agent$/,
  collectorSetting: /^export (REDIS_URL|QUASAR_API_TOKEN|OTEL_EXPORTER_OTLP_ENDPOINT)=.+$/,
  collector: /^npx quasar-collector$/,
  command: /^curl -X POST .* http:\/\/\S+\/api\/pulse\/command$/,
  buildPlugin: /^npm run build --workspace grafana-plugin$/,
  buildPulseWeb: /^npm run build --workspace pulse-web$/,
  pulseWeb: /^([A-Z_]+=\S* )+node pulse-web\/dist\/server\/bin\/quasar-pulse-web\.js$/,
  composeSecrets: /^printf 'QUASAR_API_TOKEN=%s\\nQUASAR_TOKEN=%s\\n' .* > \.env$/,
} as const;

/** What the fresh-clone test runs each command as. */
export type RunKind = keyof typeof RUN_IN_CLONE;

/** The kind of run `command` gets in the fresh clone, if any. */
export function runKind(command: string): RunKind | undefined {
  return (Object.keys(RUN_IN_CLONE) as RunKind[]).find((kind) => RUN_IN_CLONE[kind].test(command));
}

/** A command proven elsewhere: what proves it, and the check that the proof is still there. */
export interface ProvenElsewhere {
  pattern: RegExp;
  where: string;
  /** Throws (through `expect`) when the proof is gone. `ran` says what the clone test ran. */
  proof(command: string, ran: (command: string) => boolean): void;
}

function ciScript(): string {
  return read('.ci/run');
}

/** The apt packages `.ci/run` installs. */
function ciPackages(): Set<string> {
  return new Set(
    [...ciScript().matchAll(/need_apt\+=\(([^)]*)\)/g)].flatMap((m) => m[1]!.split(/\s+/)),
  );
}

/** Asserts that `file` exists and contains every one of `needles`. */
function testedIn(file: string, ...needles: string[]): void {
  expect(existsSync(join(REPO, file))).toBe(true);
  const text = read(file);
  for (const needle of needles) {
    expect([file, needle, text.includes(needle)]).toEqual([file, needle, true]);
  }
}

export const PROVEN_ELSEWHERE: readonly ProvenElsewhere[] = [
  {
    pattern: /^sudo apt-get install -y (.+)$/,
    where: '.ci/run installs each package (Go is preinstalled on CI machines, and checked)',
    proof(command) {
      const packages = ciPackages();
      for (const pkg of /^sudo apt-get install -y (.+)$/.exec(command)![1]!.split(/\s+/)) {
        if (pkg === 'golang-go') expect(ciScript()).toContain('command -v go');
        else expect([pkg, packages.has(pkg)]).toEqual([pkg, true]);
      }
    },
  },
  {
    // `npm test` in the copy would run this test again; the others are what CI runs.
    pattern: /^npm (test|run (build|lint|typecheck|fuzz))$/,
    where: '.ci/run runs it, as written (with its settings before it), on a fresh clone',
    proof: (command) => expect(ciScript()).toMatch(new RegExp(`^([A-Z_]+=\\S+ )*${command}$`, 'm')),
  },
  {
    pattern: /^bash \.ci\/run$/,
    where: 'it is what CI runs, on a fresh clone',
    proof: () => expect(existsSync(join(REPO, '.ci/run'))).toBe(true),
  },
  {
    pattern: /^\S.* && \S.*$/,
    where: 'each of its commands is run in the fresh clone',
    proof(command, ran) {
      for (const part of command.split(' && ')) {
        expect({ part, kind: runKind(part) }).toEqual({ part, kind: expect.any(String) });
        expect({ part, ran: ran(part) }).toEqual({ part, ran: true });
      }
    },
  },
  {
    pattern: /^docker compose up --build$/,
    where: 'no Docker engine runs in CI: test/stack/ proves the stack statically',
    proof: () => testedIn('test/stack/compose.test.ts', 'docker-compose.yml'),
  },
];

/** The rule that proves `command` without running it, if any. */
export function provenElsewhere(command: ReadmeCommand): ProvenElsewhere | undefined {
  return PROVEN_ELSEWHERE.find((rule) => rule.pattern.test(command.text));
}
