/** Reading Dockerfiles in static tests (no Docker engine runs here). */

/** One instruction: its upper-case keyword and the rest of the line. */
export interface DockerStep {
  op: string;
  args: string;
}

/** The instructions of a Dockerfile, with continuation lines joined and comments dropped. */
export function dockerInstructions(text: string): DockerStep[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/**
 * For each `npm ci`, the workspaces whose `package.json` its stage did not copy before it: npm
 * checks the lock against every workspace, so each one must be there. Empty when all are.
 */
export function manifestsMissingBeforeInstalls(
  steps: readonly DockerStep[],
  workspaces: readonly string[],
): Array<{ install: string; missing: string[] }> {
  const result: Array<{ install: string; missing: string[] }> = [];
  steps.forEach((step, i) => {
    if (step.op !== 'RUN' || !/npm ci\b/.test(step.args)) return;
    const stageStart = steps
      .slice(0, i)
      .map((s) => s.op)
      .lastIndexOf('FROM');
    const copied = steps
      .slice(stageStart, i)
      .filter((s) => s.op === 'COPY')
      .map((s) => s.args);
    const missing = workspaces.filter(
      (ws) => !copied.some((c) => c.startsWith(`${ws}/package.json `)),
    );
    result.push({ install: step.args, missing });
  });
  return result;
}
