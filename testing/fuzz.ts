/**
 * Settings of the property-based tests (`*.fuzz.test.ts`, with fast-check). `npm test` runs them
 * with a fixed seed and a small budget, so CI is repeatable; `npm run fuzz` runs a far larger
 * budget with a fresh seed, printed so a failure can be replayed with `QUASAR_FUZZ_SEED`.
 */

/** The seed CI uses when `QUASAR_FUZZ_SEED` is not set. */
export const DEFAULT_FUZZ_SEED = 20261206;
/** Runs per property when `QUASAR_FUZZ_RUNS` is not set. */
export const DEFAULT_FUZZ_RUNS = 200;

function integerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value))
    throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return value;
}

/** `fc.assert` parameters: `{ seed, numRuns }` from the environment, or CI's defaults. */
export function fuzzParameters(): { seed: number; numRuns: number } {
  return {
    seed: integerFromEnv('QUASAR_FUZZ_SEED', DEFAULT_FUZZ_SEED),
    numRuns: integerFromEnv('QUASAR_FUZZ_RUNS', DEFAULT_FUZZ_RUNS),
  };
}
