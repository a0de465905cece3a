/** @type {import('jest').Config} */
module.exports = {
  displayName: 'demo',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  globalSetup: '<rootDir>/../testing/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../testing/jest-global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 1,
};
