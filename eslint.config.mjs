// Flat config shared by every workspace: typescript-eslint's type-checked rules, with floating
// promises and `export *` refused, plus the house rule that instrumentation never writes to the
// console.
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
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Every TypeScript file belongs to one of these; the rules need its types.
        project: [
          './tsconfig.json',
          './sdk/tsconfig.json',
          './collector/tsconfig.json',
          './pulse-web/tsconfig.json',
          './pulse-web/tsconfig.page.json',
          './demo/tsconfig.json',
          './test/tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportAllDeclaration',
          message: 'List the exports by name: the public surface stays explicit.',
        },
      ],
    },
  },
  {
    // @types/jest types the asymmetric matchers (`expect.any`, `objectContaining`,
    // `stringMatching`, …) as `any`, and a matcher is made to stand where a typed value goes: in
    // an expected object, or as the argument of `toThrow`. Every other `any` rule stays on.
    files: ['**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['sdk/src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);
