// Flat config shared by every workspace: typed rules from typescript-eslint, plus the house
// rule that instrumentation never writes to the console.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // The Grafana plugin lints itself with the create-plugin config (`npm run lint -w grafana-plugin`).
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/*.js',
      '**/*.mjs',
      'grafana-plugin/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['sdk/src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);
