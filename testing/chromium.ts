/**
 * Debian's Chromium, driven by `playwright-core` (which never downloads a browser here). The
 * binary is `$CHROMIUM_PATH`, else `chromium` or `chromium-browser` on the PATH. Suites gate on
 * it like `describeWithStack`: under `CI=true` a missing browser fails the suite.
 */
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { describeUnless } from './gate';

/** The flags headless Chromium needs in a container without a GPU, network or first-run UI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** The browser binary, or undefined when none is installed. */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not on the PATH; try the next name
    }
  }
  return undefined;
}

const MISSING =
  'Chromium is not installed: install it with `apt-get install -y chromium` (or set CHROMIUM_PATH)';

/** `describe` when Chromium is there; a failing suite in CI, a loud skip locally, otherwise. */
export function describeWithChromium(): jest.Describe {
  return describeUnless(chromiumPath() ? undefined : MISSING);
}

/** Launches headless Chromium. */
export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(MISSING);
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
}
