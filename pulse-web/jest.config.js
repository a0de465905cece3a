/** @type {import('jest').Config} */
module.exports = {
  displayName: 'pulse-web',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  globalSetup: '<rootDir>/../testing/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../testing/jest-global-teardown.ts',
  testTimeout: 60000,
  // One browser at a time: the machine has two cores and Chromium wants both.
  maxWorkers: 1,
};
