/**
 * Settings of the plugin's property-based tests (`*.fuzz.test.ts(x)`, with fast-check). They are
 * the repository's `testing/fuzz.ts` settings, read from the same variables with the same
 * defaults; that module sits outside the plugin's TypeScript root (`src/`), so the plugin cannot
 * import it. `npm test` runs a fixed seed and a small budget; `QUASAR_FUZZ_SEED` replays a
 * failure and `QUASAR_FUZZ_RUNS` buys a larger search.
 */

/** The seed when `QUASAR_FUZZ_SEED` is not set: the repository's CI seed. */
export const DEFAULT_FUZZ_SEED = 20261206;
/** Runs per property when `QUASAR_FUZZ_RUNS` is not set. */
export const DEFAULT_FUZZ_RUNS = 200;

function integerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value)) {
    throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * `fc.assert` parameters: `{ seed, numRuns }` from the environment, or CI's defaults. `share`
 * scales the runs down for a property whose single run is costly (a React render), never below 1.
 */
export function fuzzParameters(share = 1): { seed: number; numRuns: number } {
  const numRuns = integerFromEnv('QUASAR_FUZZ_RUNS', DEFAULT_FUZZ_RUNS);
  return {
    seed: integerFromEnv('QUASAR_FUZZ_SEED', DEFAULT_FUZZ_SEED),
    numRuns: Math.max(1, Math.ceil(numRuns * share)),
  };
}
