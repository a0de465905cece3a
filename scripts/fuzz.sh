#!/usr/bin/env bash
# Runs every property-based test (*.fuzz.test.ts[x]) with a large budget and a fresh seed.
# `npm test` runs the same tests with a fixed seed and a small budget (see testing/fuzz.ts).
# Replay a failure with the seed it prints: QUASAR_FUZZ_SEED=<seed> npm run fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
export QUASAR_FUZZ_RUNS="${QUASAR_FUZZ_RUNS:-20000}"
export QUASAR_FUZZ_SEED="${QUASAR_FUZZ_SEED:-$(node -p 'Math.floor(Math.random() * 2 ** 31)')}"
echo "fuzz: QUASAR_FUZZ_SEED=${QUASAR_FUZZ_SEED} QUASAR_FUZZ_RUNS=${QUASAR_FUZZ_RUNS}"
npm test --workspaces --if-present -- --testPathPattern '\.fuzz\.test\.tsx?$' --testTimeout 1800000 --passWithNoTests
