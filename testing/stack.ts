/**
 * Gates suites on the real observability components (collector, Prometheus, promtool), the way
 * `describeWithRedis` gates on Redis: under `CI=true` a missing component fails the suite;
 * locally the suite is skipped with a loud banner.
 */
import { resolveOtelcolBinary } from './otelcol';
import { describeUnless } from './gate';
import { hasPrometheus, hasPromtool } from './prometheus';

export const STACK_COMPONENTS = ['otelcol', 'prometheus', 'promtool'] as const;
export type StackComponent = (typeof STACK_COMPONENTS)[number];

let otelcol: { binary: string } | { error: string } | undefined;

/** The collector binary, resolved (and built if needed) once per test file. */
export function otelcolBinary(): string {
  otelcol ??= (() => {
    try {
      return { binary: resolveOtelcolBinary() };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  })();
  if ('error' in otelcol) throw new Error(otelcol.error);
  return otelcol.binary;
}

function missing(component: StackComponent): string | undefined {
  switch (component) {
    case 'otelcol':
      try {
        otelcolBinary();
        return undefined;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    case 'prometheus':
      return hasPrometheus()
        ? undefined
        : 'prometheus is not on the PATH: install it with `apt-get install -y prometheus`';
    case 'promtool':
      return hasPromtool()
        ? undefined
        : 'promtool is not on the PATH: install it with `apt-get install -y prometheus`';
  }
}

/**
 * `describe` when every component is available. Otherwise, under `CI=true`, a suite whose one
 * test fails naming what is missing; locally, a skipped suite and a banner on stderr.
 */
export function describeWithStack(components: readonly StackComponent[]): jest.Describe {
  const problems = components.map(missing).filter((p): p is string => p !== undefined);
  return describeUnless(problems.length === 0 ? undefined : problems.join('; '));
}
