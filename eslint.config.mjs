// @ts-check
/**
 * Lint for Shardline: typescript-eslint with type information for the rules that catch
 * real bugs (a floating promise loses an error or an acknowledgement; a switch over a
 * union that misses a member), a guard against focused tests, and the module
 * boundaries of STYLE.md: no deep imports across libs, libs never import apps.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

const deepImports = [
  {
    group: ['@shardline/*/*'],
    message: "Import a lib through its index ('@shardline/<lib>'), not a file inside it.",
  },
  {
    group: ['**/libs/*', '**/libs/*/**'],
    message: "Import a lib by its alias ('@shardline/<lib>'), not by a relative path into libs/.",
  },
];

// App aliases come from tsconfig's paths, so a new app is covered as soon as it has one.
const tsconfig = JSON.parse(readFileSync(join(import.meta.dirname, 'tsconfig.json'), 'utf8'));
const appAliases = Object.entries(tsconfig.compilerOptions?.paths ?? {})
  .filter(([, [target]]) => String(target).startsWith('apps/'))
  .map(([alias]) => alias);

// From inside libs/<a>/, a relative path that climbs out and into libs/<b>/src.
const siblingLibImports = [
  {
    regex: '^(\\.\\./)+[^./][^/]*/src(/|$)',
    message: "Import another lib by its alias ('@shardline/<lib>'), not by a relative path.",
  },
];

const appImports = [
  {
    group: [...new Set([...appAliases, '@shardline/gateway', '@shardline/shards', '@shardline/standalone'])],
    message: 'Libs never import apps: move the shared code into a lib.',
  },
  {
    group: ['**/apps/*', '**/apps/*/**'],
    message: 'Libs never import apps: move the shared code into a lib.',
  },
];

const testFiles = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'];

export default defineConfig(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**'] },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
  },
  {
    files: ['**/*.ts', 'apps/console/**/*.tsx'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: deepImports }],
    },
  },
  {
    // The web console runs in the browser (its own tsconfig: DOM, Preact JSX; TypeScript checks its globals)
    // and talks to the server only over HTTP.
    files: ['apps/console/**/*.ts', 'apps/console/**/*.tsx', 'apps/console/**/*.mjs'],
    // Only types may come from the typed client's shapes (erased at build: nothing of a lib runs in the browser).
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@shardline/*', '**/libs/**', '!**/libs/client/src/types'],
              message: 'The console is a browser app: it reads the server over the REST API (src/api.ts), not its libs.',
            },
            { group: ['**/libs/client/src/types'], allowTypeImports: true, message: "Only types from the client's shapes (import type)." },
          ],
        },
      ],
    },
  },
  {
    // Rule options do not merge across config objects: libs repeat the deep-import ban.
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...deepImports, ...siblingLibImports, ...appImports] }],
    },
  },
  {
    // The client is published on its own: it may not import any other Shardline lib (or app).
    files: ['libs/client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@shardline/*', '**/libs/**', '**/apps/**'], message: '@shardline/client is published alone: it imports only nats and node built-ins.' }] },
      ],
    },
  },
  {
    // The plugin SDK is published on its own too: node built-ins only.
    files: ['libs/plugin-sdk/**/*.ts'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@shardline/*', '**/libs/**', '**/apps/**'], message: '@shardline/plugin-sdk is published alone: it imports only node built-ins.' }] },
      ],
    },
  },
  {
    files: testFiles,
    plugins: { jest },
    languageOptions: { globals: jest.environments.globals.globals },
    rules: {
      'jest/no-focused-tests': 'error',
      'jest/no-identical-title': 'error',
    },
  },
);
