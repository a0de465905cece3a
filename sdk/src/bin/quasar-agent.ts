#!/usr/bin/env node
/**
 * The `quasar-agent` command: the Quasar sidecar daemon for hosts whose application does not
 * run on Node. Everything but the process itself lives in `../sidecar/main`.
 */
import { EXIT, runSidecar } from '../sidecar/main';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** After the agent has stopped, a handle someone else left open must not keep the daemon alive. */
const EXIT_GRACE_MS = 1000;

runSidecar(process.argv.slice(2), process.env, {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  onSignal(listener) {
    for (const signal of STOP_SIGNALS) process.on(signal, listener);
    return () => {
      for (const signal of STOP_SIGNALS) process.off(signal, listener);
    };
  },
}).then(
  (code) => {
    process.exitCode = code;
    // A second signal asked not to wait for anything.
    if (code === EXIT.forced) process.exit(code);
    setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  },
  (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`quasar-agent: ${text.replace(/\n/g, ' | ')}\n`);
    process.exit(1);
  },
);
