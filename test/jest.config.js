/**
 * The repository's own tests: what belongs to no one workspace (the README, the generated
 * configuration reference, the compose stack and its provisioning, the packages' bins, the
 * rule that tests need nothing outside the repository, and the hostile-agent suite that runs
 * every part together) and the guarantees of the test helpers in testing/ themselves.
 * @type {import('jest').Config}
 */
module.exports = {
  displayName: 'repo',
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testTimeout: 30000,
};
