/**
 * How suites gate on a system component: `describe` when it is there; otherwise, under
 * `CI=true`, a suite whose one test fails naming what is missing, and locally a skipped suite
 * with a loud banner on stderr.
 */

/** `describe`, or the failing / skipped stand-in when `problem` says what is missing. */
export function describeUnless(problem: string | undefined): jest.Describe {
  if (problem === undefined) return describe;
  if (process.env.CI === 'true') {
    const failing = (name: string | number | jest.FunctionLike) =>
      describe(
        typeof name === 'string' || typeof name === 'number' ? String(name) : name.name,
        () => {
          it('has the components it needs', () => {
            throw new Error(`${problem}. CI=true: failing, not skipping.`);
          });
        },
      );
    return Object.assign(failing, describe);
  }
  process.stderr.write(`\n*** ${problem}. Suites needing it will be SKIPPED. ***\n\n`);
  return describe.skip;
}
